import { locationUtil, urlUtil } from '@grafana/data';

export interface ServiceLinkContext {
  /** Dashboard time range, epoch ms. */
  from: number;
  to: number;
  /** The Seismo datasource the panel's query used, for an Explore link; null when unknown. */
  datasource: { uid: string; type?: string } | null;
  /** Template of the service dashboard URL; empty for none. */
  dashboardUrl: string;
}

export interface ServiceLink {
  title: string;
  href: string;
}

const PLACEHOLDER = /\$\{(service|namespace|team)\}/g;

/**
 * Where to go from a service: its dashboard (from the panel's URL template, with the time range
 * kept) and Explore with the Seismo datasource's anomaly score and per-signal contributions for
 * it. URLs are made relative to Grafana's sub path.
 */
export function serviceLinks(
  service: { id: string; namespace: string; team: string },
  context: ServiceLinkContext
): ServiceLink[] {
  const links: ServiceLink[] = [];
  const range = { from: String(context.from), to: String(context.to) };
  if (context.dashboardUrl.trim() !== '') {
    const values: Record<string, string> = { service: service.id, namespace: service.namespace, team: service.team };
    const filled = context.dashboardUrl
      .trim()
      .replace(PLACEHOLDER, (_, key: string) => encodeURIComponent(values[key] ?? ''));
    links.push({
      title: 'Service dashboard',
      href: locationUtil.assureBaseUrl(urlUtil.appendQueryToUrl(filled, urlUtil.toUrlParams(range))),
    });
  }
  if (context.datasource !== null) {
    const datasource = { uid: context.datasource.uid, type: context.datasource.type ?? 'seismo-anomaly-datasource' };
    const panes = {
      seismo: {
        datasource: datasource.uid,
        queries: [{ refId: 'A', datasource, queryType: 'anomalyScore', service: service.id, contributions: true }],
        range,
      },
    };
    links.push({
      title: 'Explore',
      href: locationUtil.assureBaseUrl(
        `/explore?${urlUtil.toUrlParams({ schemaVersion: 1, panes: JSON.stringify(panes) })}`
      ),
    });
  }
  return links;
}
