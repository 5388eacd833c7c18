import type { PrometheusErrorKind } from '../prometheus/PrometheusError.js';
import type { InstantQueryApi } from '../prometheus/types.js';
import { renderTemplate } from './renderTemplate.js';
import type { Preset, PresetIdentity } from './types.js';

/** What the sources say about one service. */
export interface ServiceIdentityRecord {
  readonly service: string;
  /** "" when no source names it. */
  readonly namespace: string;
  /** Labels for selection rules and the owner, prefix removed; earlier sources win per label. */
  readonly labels: Readonly<Record<string, string>>;
  /** Sources that named the service, in preference order. */
  readonly sources: readonly string[];
}

export interface IdentitySourceStatus {
  readonly source: string;
  readonly status: 'ok' | 'empty' | 'failed';
  readonly services: number;
  readonly error?: { readonly kind: PrometheusErrorKind | 'unknown'; readonly message: string };
}

export interface IdentityReading {
  readonly services: ReadonlyMap<string, ServiceIdentityRecord>;
  readonly sources: readonly IdentitySourceStatus[];
  readonly queries: number;
}

export interface IdentityReaderOptions {
  readonly client: InstantQueryApi;
  /** In order of preference; presets without an identity template are skipped. */
  readonly presets: readonly Preset[];
  readonly windowSeconds: number;
}

/** Labels that describe the series, not the service. */
const IGNORED = new Set(['__name__', 'job', 'instance']);

/**
 * Reads each source's identity template (one instant query per source with one, whatever the
 * number of services) and merges them: the first source in preference order that names a
 * service's namespace sets it, and labels merge key by key with earlier sources winning. A
 * failing source is reported and leaves the others' answers intact.
 */
export class IdentityReader {
  readonly #client: InstantQueryApi;
  readonly #presets: ReadonlyArray<{ source: string; identity: PresetIdentity }>;
  readonly #windowSeconds: number;

  constructor(options: IdentityReaderOptions) {
    this.#client = options.client;
    this.#presets = options.presets.flatMap((p) =>
      p.identity === undefined ? [] : [{ source: p.source, identity: p.identity }]
    );
    this.#windowSeconds = options.windowSeconds;
  }

  /** Number of queries one read() sends. */
  get queriesPerRead(): number {
    return this.#presets.length;
  }

  async read(at: number, signal?: AbortSignal): Promise<IdentityReading> {
    const answers = await Promise.all(
      this.#presets.map(async ({ source, identity }) => {
        const promql = renderTemplate(
          { query: identity.query, namespaceLabel: identity.selectorLabel },
          { windowSeconds: this.#windowSeconds }
        );
        try {
          const result = await this.#client.query(promql, at, signal === undefined ? {} : { signal });
          const samples = result.resultType === 'vector' ? result.result.map((s) => s.metric) : [];
          return { source, identity, samples, error: undefined };
        } catch (error) {
          const kind: PrometheusErrorKind | 'unknown' = (error as { kind?: PrometheusErrorKind }).kind ?? 'unknown';
          return {
            source,
            identity,
            samples: [],
            error: { kind, message: (error as Error).message ?? String(error) },
          };
        }
      })
    );
    const merged = new Map<string, { namespace: string; labels: Record<string, string>; sources: string[] }>();
    const sources: IdentitySourceStatus[] = [];
    for (const { source, identity, samples, error } of answers) {
      const named = new Set<string>();
      for (const metric of samples) {
        const service = metric[identity.serviceLabel];
        if (service === undefined || service === '') {
          continue;
        }
        named.add(service);
        let entry = merged.get(service);
        if (entry === undefined) {
          entry = { namespace: '', labels: {}, sources: [] };
          merged.set(service, entry);
        }
        if (!entry.sources.includes(source)) {
          entry.sources.push(source);
        }
        const namespace = identity.namespaceLabel === undefined ? '' : (metric[identity.namespaceLabel] ?? '');
        if (entry.namespace === '' && namespace !== '') {
          entry.namespace = namespace;
        }
        for (const [name, value] of Object.entries(metric)) {
          if (IGNORED.has(name) || name === identity.serviceLabel || name === identity.namespaceLabel || value === '') {
            continue;
          }
          if (identity.labelPrefix !== '' && !name.startsWith(identity.labelPrefix)) {
            continue;
          }
          const key = name.slice(identity.labelPrefix.length);
          if (key !== '' && entry.labels[key] === undefined) {
            entry.labels[key] = value;
          }
        }
      }
      sources.push({
        source,
        status: error !== undefined ? 'failed' : named.size > 0 ? 'ok' : 'empty',
        services: named.size,
        ...(error !== undefined ? { error } : {}),
      });
    }
    const services = new Map<string, ServiceIdentityRecord>();
    for (const [service, entry] of merged) {
      services.set(service, { service, ...entry });
    }
    return { services, sources, queries: this.#presets.length };
  }
}
