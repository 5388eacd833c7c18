/** Environment variables the config honours; documented in docs/configuration.md. */
export const ENV = Object.freeze({
  prometheusUrl: 'SEISMO_PROMETHEUS_URL',
  prometheusPassword: 'SEISMO_PROMETHEUS_PASSWORD',
  prometheusBearerToken: 'SEISMO_PROMETHEUS_BEARER_TOKEN',
  apiToken: 'SEISMO_API_TOKEN',
  apiPort: 'SEISMO_API_PORT',
});
