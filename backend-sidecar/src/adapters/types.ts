/**
 * Telemetry presets: how one source's metrics (Istio, OBI, Tempo service graphs, cAdvisor,
 * coroot-node-agent) become Seismo's canonical signals. A preset is a YAML file holding one
 * PromQL template per signal; each template returns every service (or every edge) at once.
 */
import type { SignalScope } from '../signals/index.js';

/** Where a value was written, for error messages and for explaining a resolved preset. */
export interface SourceLocation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  readonly column: number;
}

/**
 * Which labels of a template's result name the entity. Service-scope templates need `service`,
 * edge-scope templates `client` and `server`; the values are label names of the source.
 */
export interface EntityLabels {
  readonly service?: string;
  readonly client?: string;
  readonly server?: string;
}

/** One signal of a resolved preset. */
export interface PresetSignal {
  readonly scope: SignalScope;
  readonly name: string;
  /** PromQL with `${window}` (the rate window) and optionally `${selector}` (namespace matcher). */
  readonly query: string;
  /** Label holding the service (service scope). */
  readonly serviceLabel: string;
  /** Labels holding caller and callee (edge scope). */
  readonly clientLabel: string;
  readonly serverLabel: string;
  /** Label `${selector}` filters on; undefined when the template has no `${selector}`. */
  readonly namespaceLabel: string | undefined;
  /** False for a source-specific extra signal outside the canonical catalogue. */
  readonly canonical: boolean;
  readonly unit: string;
  readonly description: string;
  readonly location: SourceLocation;
}

/**
 * How a source names each service's namespace and labels: one instant query per cycle whose
 * result carries the service label, optionally a namespace label, and the labels selection rules
 * and the owner (team) are read from.
 */
export interface PresetIdentity {
  /** PromQL with optional `${window}` and `${selector}`; evaluated as an instant query. */
  readonly query: string;
  /** Result label holding the service name. */
  readonly serviceLabel: string;
  /** Result label holding the namespace; undefined when the source has none. */
  readonly namespaceLabel: string | undefined;
  /**
   * Result labels starting with this prefix are the service's labels, with the prefix removed
   * (kube-state-metrics writes `label_team`). Empty: every label except the service and namespace.
   */
  readonly labelPrefix: string;
  /** Label `${selector}` filters on; undefined when the template has no `${selector}`. */
  readonly selectorLabel: string | undefined;
  readonly location: SourceLocation;
}

/** A validated preset, ready for the reader. */
export interface Preset {
  /** Name of the telemetry source, e.g. "istio"; unique among the presets in use. */
  readonly source: string;
  readonly description: string;
  /** Upstream documentation the metric names and labels were checked against. */
  readonly references: readonly string[];
  /** Files this preset was built from, base first (a user override extends a built-in). */
  readonly files: readonly string[];
  readonly signals: readonly PresetSignal[];
  /** How the source names services' namespaces and labels; undefined when it cannot. */
  readonly identity?: PresetIdentity;
}

/** The identity block as written in a file. */
export interface IdentityEntry {
  readonly query?: string;
  readonly service?: string;
  readonly namespace?: string;
  readonly labelPrefix?: string;
  readonly location: SourceLocation;
  readonly queryLocation?: SourceLocation;
  readonly queryIsBlock?: boolean;
}

/** One signal entry as written in a file, before defaults and bases are applied. */
export interface SignalEntry {
  readonly query?: string;
  readonly labels?: EntityLabels;
  readonly namespaceLabel?: string;
  /** Extra signals only. */
  readonly scope?: SignalScope;
  readonly unit?: string;
  readonly description?: string;
  readonly location: SourceLocation;
  /** Where the query text starts; for a literal block (`|`) its first content line. */
  readonly queryLocation?: SourceLocation;
  /** True when the query is a literal block, so template lines map 1:1 to file lines. */
  readonly queryIsBlock?: boolean;
}

/** A preset file as written: possibly partial when it extends another preset. */
export interface PresetDocument {
  readonly file: string;
  readonly source?: string;
  readonly extends?: string;
  readonly description?: string;
  readonly references?: readonly string[];
  readonly defaults: { readonly labels?: EntityLabels; readonly namespaceLabel?: string };
  /** Keyed by "service.request_rate", "edge.latency_p95" or "extra.<name>"; null removes an inherited entry. */
  readonly signals: ReadonlyMap<string, SignalEntry | null>;
  /** undefined: not given (an override keeps the base's); null: removed. */
  readonly identity?: IdentityEntry | null;
  readonly location: SourceLocation;
}
