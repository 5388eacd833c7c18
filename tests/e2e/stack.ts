/** Addresses of the docker compose stack the specs run against. */
export const MESH_CONTROL_URL = process.env.MESH_CONTROL_URL ?? 'http://localhost:9465';
export const MAILPIT_URL = process.env.MAILPIT_URL ?? 'http://localhost:8025';

/** The app's pages, their paths and the test ids they render. */
export const APP_PAGES = [
  { path: 'overview', testId: 'seismo-overview' },
  { path: 'services', testId: 'seismo-services' },
  { path: 'incidents', testId: 'seismo-incidents' },
  { path: 'models', testId: 'seismo-models' },
] as const;

export const DASHBOARD_UIDS = ['seismo-overview', 'seismo-service', 'seismo-incident', 'seismo-model-health'] as const;
