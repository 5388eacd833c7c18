import type { PrometheusErrorKind } from '../prometheus/PrometheusError.js';
import type { MatrixSeries, RangeQueryApi } from '../prometheus/types.js';
import { alignSeries, stepGrid, type AlignedSeries, type SignalScope, type StepGrid } from '../signals/index.js';
import { edgeId } from './edgeId.js';
import { renderTemplate } from './renderTemplate.js';
import type { Preset, PresetSignal } from './types.js';

export interface TelemetryReaderOptions {
  readonly client: RangeQueryApi;
  /** In order of preference: cross-checks and signal selection prefer earlier sources. */
  readonly presets: readonly Preset[];
  /** Rate window substituted for ${window}, in seconds. Default 60. */
  readonly windowSeconds?: number;
  /** Keep only these namespaces (through each template's ${selector}); empty keeps all. */
  readonly namespaces?: readonly string[];
  /** Queries in flight at once. Default 4. */
  readonly concurrency?: number;
  /** Passed to alignSeries: longest gap bridged by interpolation, in steps. */
  readonly maxInterpolationSteps?: number;
}

export interface ReadRange {
  /** Unix seconds; the grid runs from start to end (rounded down to the step). */
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly signal?: AbortSignal;
}

/** One planned query: one per (source, signal), whatever the number of services. */
export interface PlannedQuery {
  readonly source: string;
  readonly scope: SignalScope;
  readonly signal: string;
  readonly canonical: boolean;
  readonly promql: string;
}

export type SignalStatus = 'ok' | 'empty' | 'failed';

/** What one (source, signal) query produced. */
export interface SignalCoverage {
  readonly scope: SignalScope;
  readonly signal: string;
  readonly canonical: boolean;
  readonly unit: string;
  readonly promql: string;
  /** ok: at least one entity with data; empty: the query ran but matched nothing; failed: error. */
  readonly status: SignalStatus;
  readonly entities: number;
  /** Mean over entities of the share of grid points with a value (observed or interpolated). */
  readonly observedFraction: number;
  /** Result series without the entity label(s): not attributable, so not used. */
  readonly unattributedSeries: number;
  /**
   * Entities for which the template returned several series (it did not aggregate down to the
   * entity label). Their data is dropped rather than merged, because summing a ratio or a
   * quantile would be wrong and picking one would be arbitrary.
   */
  readonly ambiguousEntities: readonly string[];
  /** Namespaces were requested but this template has no ${selector}: the data covers all. */
  readonly unfiltered: boolean;
  readonly error?: { readonly kind: PrometheusErrorKind | 'unknown'; readonly message: string };
  readonly warnings: readonly string[];
}

export interface SourceCoverage {
  readonly source: string;
  readonly signalsQueried: number;
  readonly signalsWithData: number;
  readonly signalsFailed: number;
  /** Services with at least one service-scope series. */
  readonly services: readonly string[];
  /** Edges with at least one edge-scope series. */
  readonly edges: number;
  readonly signals: readonly SignalCoverage[];
}

export interface EdgeTelemetry {
  readonly id: string;
  readonly client: string;
  readonly server: string;
  /** By signal name (canonical and extra). */
  readonly signals: ReadonlyMap<string, AlignedSeries>;
}

export interface SourceReading {
  readonly source: string;
  /** Service → signal name → aligned series. */
  readonly services: ReadonlyMap<string, ReadonlyMap<string, AlignedSeries>>;
  /** Edge id ("client->server") → its series. */
  readonly edges: ReadonlyMap<string, EdgeTelemetry>;
  readonly coverage: SourceCoverage;
}

export interface TelemetryReading {
  readonly grid: StepGrid;
  readonly windowSeconds: number;
  /** Remarks on the read as a whole, e.g. a rate window shorter than the step. */
  readonly notes: readonly string[];
  /** One per preset, in preference order. */
  readonly sources: readonly SourceReading[];
  readonly queries: number;
}

interface QueryOutcome {
  readonly series: readonly MatrixSeries[];
  readonly warnings: readonly string[];
  readonly error?: SignalCoverage['error'];
}

/**
 * Reads canonical signals from Prometheus through telemetry presets. Each cycle runs exactly one
 * range query per (source, signal), each returning every service or edge at once, so the
 * number of queries does not grow with the mesh. Results are aligned on one step grid
 * (src/signals), attributed to services and edges by the preset's entity labels, and returned per
 * source with coverage, never merged across sources (see crossCheckEdges and
 * selectServiceSignals for that). A failing query marks its signal failed; the others still
 * return, so one broken template does not blind the whole cycle.
 */
export class TelemetryReader {
  private readonly client: RangeQueryApi;
  private readonly presets: readonly Preset[];
  private readonly windowSeconds: number;
  private readonly namespaces: readonly string[];
  private readonly concurrency: number;
  private readonly maxInterpolationSteps: number | undefined;

  constructor(options: TelemetryReaderOptions) {
    const sources = options.presets.map((p) => p.source);
    const duplicate = sources.find((s, i) => sources.indexOf(s) !== i);
    if (duplicate !== undefined) {
      throw new TypeError(`presets: source "${duplicate}" appears twice`);
    }
    this.client = options.client;
    this.presets = options.presets;
    this.windowSeconds = options.windowSeconds ?? 60;
    if (!(this.windowSeconds > 0) || !Number.isFinite(this.windowSeconds)) {
      throw new TypeError(`windowSeconds must be a positive number (got ${String(options.windowSeconds)})`);
    }
    this.namespaces = options.namespaces ?? [];
    this.concurrency = options.concurrency ?? 4;
    if (!Number.isInteger(this.concurrency) || this.concurrency < 1) {
      throw new TypeError(`concurrency must be an integer >= 1 (got ${String(options.concurrency)})`);
    }
    this.maxInterpolationSteps = options.maxInterpolationSteps;
  }

  /** The queries one read() runs, rendered. */
  plan(): PlannedQuery[] {
    return this.presets.flatMap((preset) =>
      preset.signals.map((signal) => ({
        source: preset.source,
        scope: signal.scope,
        signal: signal.name,
        canonical: signal.canonical,
        promql: this.render(signal),
      }))
    );
  }

  async read(range: ReadRange): Promise<TelemetryReading> {
    const grid = stepGrid(range.start, range.end, range.step);
    const jobs = this.presets.flatMap((preset) => preset.signals.map((signal) => ({ preset, signal })));
    const outcomes = new Array<QueryOutcome>(jobs.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const index = next++;
        const { signal } = jobs[index] as (typeof jobs)[number];
        outcomes[index] = await this.run(signal, grid, range.signal);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, jobs.length) }, worker));

    let cursor = 0;
    const sources = this.presets.map((preset) => {
      const results = preset.signals.map((signal) => ({ signal, outcome: outcomes[cursor++] as QueryOutcome }));
      return this.assemble(preset, results, grid);
    });
    const notes: string[] = [];
    if (this.windowSeconds < grid.step) {
      notes.push(
        `rate window ${this.windowSeconds}s is shorter than the step ${grid.step}s: ` +
          'events between grid points are not counted; use a window of at least one step'
      );
    }
    return { grid, windowSeconds: this.windowSeconds, notes, sources, queries: jobs.length };
  }

  private render(signal: PresetSignal): string {
    return renderTemplate(signal, { windowSeconds: this.windowSeconds, namespaces: this.namespaces });
  }

  private async run(signal: PresetSignal, grid: StepGrid, abort: AbortSignal | undefined): Promise<QueryOutcome> {
    try {
      const result = await this.client.queryRange(
        this.render(signal),
        grid.start,
        grid.end,
        grid.step,
        abort === undefined ? {} : { signal: abort }
      );
      return { series: result.result, warnings: result.warnings };
    } catch (error) {
      const kind = (error as { kind?: PrometheusErrorKind }).kind ?? 'unknown';
      return { series: [], warnings: [], error: { kind, message: (error as Error).message ?? String(error) } };
    }
  }

  private assemble(
    preset: Preset,
    results: ReadonlyArray<{ signal: PresetSignal; outcome: QueryOutcome }>,
    grid: StepGrid
  ): SourceReading {
    const services = new Map<string, Map<string, AlignedSeries>>();
    const edges = new Map<
      string,
      { id: string; client: string; server: string; signals: Map<string, AlignedSeries> }
    >();
    const coverage: SignalCoverage[] = [];

    for (const { signal, outcome } of results) {
      const byEntity = new Map<string, { client?: string; server?: string; series: MatrixSeries[] }>();
      let unattributed = 0;
      for (const series of outcome.series) {
        if (series.points.length === 0) {
          continue;
        }
        if (signal.scope === 'service') {
          const service = series.metric[signal.serviceLabel];
          if (service === undefined || service === '') {
            unattributed++;
            continue;
          }
          const entry = byEntity.get(service) ?? { series: [] };
          entry.series.push(series);
          byEntity.set(service, entry);
        } else {
          // An empty caller or callee is kept: it is how some sources name an uninstrumented
          // side, and the call graph decides explicitly what to do with it.
          const client = series.metric[signal.clientLabel] ?? '';
          const server = series.metric[signal.serverLabel] ?? '';
          if (client === '' && server === '') {
            unattributed++;
            continue;
          }
          const id = edgeId(client, server);
          const entry = byEntity.get(id) ?? { client, server, series: [] };
          entry.series.push(series);
          byEntity.set(id, entry);
        }
      }

      const ambiguous: string[] = [];
      let observedSum = 0;
      let entities = 0;
      for (const [key, entry] of byEntity) {
        if (entry.series.length > 1) {
          ambiguous.push(key);
          continue;
        }
        const raw = entry.series[0] as MatrixSeries;
        const aligned = alignSeries(raw.points, grid, {
          name: `${preset.source}.${signal.scope}.${signal.name}[${key}]`,
          ...(this.maxInterpolationSteps !== undefined ? { maxInterpolationSteps: this.maxInterpolationSteps } : {}),
        });
        entities++;
        observedSum += (grid.length - aligned.stats.missing) / grid.length;
        if (signal.scope === 'service') {
          let signals = services.get(key);
          if (signals === undefined) {
            signals = new Map();
            services.set(key, signals);
          }
          signals.set(signal.name, aligned);
        } else {
          let edge = edges.get(key);
          if (edge === undefined) {
            edge = { id: key, client: entry.client ?? '', server: entry.server ?? '', signals: new Map() };
            edges.set(key, edge);
          }
          edge.signals.set(signal.name, aligned);
        }
      }
      const status: SignalStatus = outcome.error !== undefined ? 'failed' : entities > 0 ? 'ok' : 'empty';
      coverage.push({
        scope: signal.scope,
        signal: signal.name,
        canonical: signal.canonical,
        unit: signal.unit,
        promql: this.render(signal),
        status,
        entities,
        observedFraction: entities > 0 ? observedSum / entities : 0,
        unattributedSeries: unattributed,
        ambiguousEntities: ambiguous.sort(),
        unfiltered: this.namespaces.length > 0 && signal.namespaceLabel === undefined,
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
        warnings: outcome.warnings,
      });
    }

    return {
      source: preset.source,
      services,
      edges,
      coverage: {
        source: preset.source,
        signalsQueried: coverage.length,
        signalsWithData: coverage.filter((c) => c.status === 'ok').length,
        signalsFailed: coverage.filter((c) => c.status === 'failed').length,
        services: [...services.keys()].sort(),
        edges: edges.size,
        signals: coverage,
      },
    };
  }
}
