/**
 * Telemetry adapters: YAML presets of PromQL templates that map a source's metrics to canonical
 * signals, the reader that runs them (one query per source and signal), and the cross-check of
 * sources that describe the same edges. See README.md for the preset format.
 */
export { BUILTIN_PRESET_NAMES } from './builtinPresetNames.js';
export type { BuiltinPresetName } from './builtinPresetNames.js';
export { loadBuiltinPreset } from './loadBuiltinPreset.js';
export { loadPresetFile } from './loadPresetFile.js';
export { parsePreset } from './parsePreset.js';
export type { ParsePresetOptions } from './parsePreset.js';
export { resolvePresets } from './resolvePresets.js';
export type { ResolvePresetsOptions } from './resolvePresets.js';
export { PresetError } from './PresetError.js';
export type { PresetIssue } from './PresetError.js';
export { validateTemplate } from './validateTemplate.js';
export type { TemplateProblem } from './validateTemplate.js';
export { renderTemplate } from './renderTemplate.js';
export type { RenderOptions } from './renderTemplate.js';
export { formatDuration } from './formatDuration.js';
export { edgeId } from './edgeId.js';
export { TelemetryReader } from './TelemetryReader.js';
export type {
  EdgeTelemetry,
  PlannedQuery,
  ReadRange,
  SignalCoverage,
  SignalStatus,
  SourceCoverage,
  SourceReading,
  TelemetryReaderOptions,
  TelemetryReading,
} from './TelemetryReader.js';
export { crossCheckEdges } from './crossCheckEdges.js';
export type {
  CrossCheckOptions,
  CrossCheckResult,
  EdgeAgreement,
  EdgeCrossCheck,
  EdgeSourceView,
} from './crossCheckEdges.js';
export { preferenceOrder } from './preferenceOrder.js';
export { selectServiceSignals } from './selectServiceSignals.js';
export type { SelectServiceSignalsOptions, ServiceSignalChoice } from './selectServiceSignals.js';
export type { EntityLabels, Preset, PresetDocument, PresetSignal, SignalEntry, SourceLocation } from './types.js';
export { IdentityReader } from './IdentityReader.js';
export type {
  IdentityReaderOptions,
  IdentityReading,
  IdentitySourceStatus,
  ServiceIdentityRecord,
} from './IdentityReader.js';
