/**
 * The one Seismo datasource the preview stands in for, with the uid the provisioning files give
 * it (provisioning/datasources/datasources.yaml), so that links and app settings read the same.
 */
export const PREVIEW_DATASOURCE = {
  uid: 'seismo',
  name: 'Seismo',
  type: 'seismo-anomaly-datasource',
} as const;
