/** Settings of the app plugin, stored in its jsonData. */
export interface AppSettings {
  /** uid of the Seismo datasource instance the app's pages query. */
  datasourceUid?: string;
}

export const APP_ID = 'seismo-aiops-app';
export const DATASOURCE_TYPE = 'seismo-anomaly-datasource';

/** Base URL of the app's pages; the page paths below are relative to it. */
export const APP_BASE_URL = `/a/${APP_ID}`;

/** Page paths, as declared in plugin.json's includes. */
export const ROUTES = {
  overview: 'overview',
  services: 'services',
  incidents: 'incidents',
  models: 'models',
} as const;

/** URL of an app page, optionally below it (`incidents`, `inc-1700000450`). */
export function appUrl(route: string, ...rest: string[]): string {
  return [APP_BASE_URL, route, ...rest.map(encodeURIComponent)].join('/');
}

/** URL of the app's configuration page. */
export const CONFIG_URL = `/plugins/${APP_ID}`;

/** uids of the provisioned dashboards (dashboards/*.json) the pages link to. */
export const DASHBOARD_UIDS = {
  overview: 'seismo-overview',
  service: 'seismo-service',
  incident: 'seismo-incident',
  modelHealth: 'seismo-model-health',
} as const;
