import type { SidecarApi } from './SidecarApi.js';
import type { Observation } from './types.js';

/**
 * One poll of the sidecar: detector states, whether Prometheus answered, the open incident and
 * its ranking, temperature and config hash. A sidecar that does not answer yields an
 * observation with `sidecarUp: false` rather than an error: scenarios kill it on purpose.
 */
export async function observeSidecar(api: SidecarApi, t: number): Promise<Observation> {
  try {
    const [status, open, temperature, configHash] = await Promise.all([
      api.status(),
      api.incidents('open'),
      api.gauge('seismo_incident_temperature'),
      api.configHash(),
    ]);
    const incident = open[0] ?? null;
    const rootCause = incident === null ? [] : await api.rootCause(incident.id);
    return {
      t,
      sidecarUp: true,
      serviceStates: status.services ?? {},
      prometheusUp: status.lastCycle?.prometheusUp ?? null,
      openIncident: incident === null ? null : { id: incident.id, severity: incident.severity },
      rootCause,
      temperature,
      configHash,
    };
  } catch {
    return {
      t,
      sidecarUp: false,
      serviceStates: {},
      prometheusUp: null,
      openIncident: null,
      rootCause: [],
      temperature: null,
      configHash: null,
    };
  }
}
