/** The incident engine: per-entity accumulators, temperature, severity and explanations. */
export { IncidentEngine } from './IncidentEngine.js';
export { evaluateInterval } from './evaluateInterval.js';
export type { EvaluationStep } from './evaluateInterval.js';
export { initialIncidentState } from './initialIncidentState.js';
export { parseIncidentSnapshot } from './parseIncidentSnapshot.js';
export { resolveIncidentConfig, DEFAULT_INCIDENT_CONFIG } from './resolveIncidentConfig.js';
export type { IncidentConfig, IncidentConfigInput } from './resolveIncidentConfig.js';
export { IncidentConfigError } from './IncidentConfigError.js';
export { IncidentInputError } from './IncidentInputError.js';
export { findCallChain } from './findCallChain.js';
export { edgeEntityId, splitEdgeEntityId } from './edgeEntityId.js';
export type * from './types.js';
