/** Settings of the app plugin, stored in its jsonData. */
export interface AppSettings {
  /** uid of the Seismo datasource instance the app's pages query. */
  datasourceUid?: string;
}

export const APP_ID = 'seismo-aiops-app';
export const DATASOURCE_TYPE = 'seismo-anomaly-datasource';
