import { IncidentConfigError } from '../incidents/IncidentConfigError.js';
import {
  DEFAULT_INCIDENT_CONFIG,
  resolveIncidentConfig,
  type IncidentConfig,
} from '../incidents/resolveIncidentConfig.js';
import type { ConfigReader } from './ConfigReader.js';
import { keyTreeOf, readDelegated, stripPrefix } from './readDelegated.js';

/** The incidents section is validated by the incident engine's own resolver. */
export function readIncidents(r: ConfigReader): Readonly<IncidentConfig> {
  return readDelegated(
    r,
    keyTreeOf(DEFAULT_INCIDENT_CONFIG),
    (input) => resolveIncidentConfig(input),
    (error) =>
      error instanceof IncidentConfigError
        ? {
            field: error.key === '(root)' ? '' : error.key,
            message: stripPrefix(error.message, `incident config "${error.key}": `),
          }
        : null,
    () => resolveIncidentConfig()
  );
}
