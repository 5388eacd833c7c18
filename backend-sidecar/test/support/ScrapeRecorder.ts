import type { Registry } from 'prom-client';

import type { InstantResult, RangeResult } from '../../src/prometheus/types.js';

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** The sample lines of a text exposition (enough of the format for the sidecar's own series). */
export function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) {
      continue;
    }
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[k as string] = (v as string).replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    out.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return out;
}

/**
 * Plays Prometheus for the sidecar's own exported series: `scrape(at)` records the registry like
 * a scrape of one target (job and instance labels added); the restore queries are answered from
 * those scrapes exactly as Prometheus would at a given time (the newest scrape at or before it).
 */
export class ScrapeRecorder {
  readonly #scrapes: Array<{ at: number; samples: Sample[] }> = [];
  readonly #target = { job: 'seismo-sidecar', instance: '127.0.0.1:8080' };

  async scrape(registry: Registry, at: number): Promise<void> {
    const samples = parseExposition(await registry.metrics()).map((s) => ({
      ...s,
      labels: { ...s.labels, ...this.#target },
    }));
    this.#scrapes.push({ at, samples });
  }

  #at(time: number): Sample[] {
    let found: Sample[] = [];
    for (const s of this.#scrapes) {
      if (s.at <= time) {
        found = s.samples;
      }
    }
    return found;
  }

  /** The range query for the last evaluation, joined with the shard (answered per scrape). */
  range(promql: string, start: number, end: number, step: number): RangeResult | null {
    const name = /^(seismo_[a-z_]+)/.exec(promql)?.[1];
    const shard = /seismo_shard_info\{index="(\d+)", count="(\d+)"\}/.exec(promql);
    if (name === undefined) {
      return null;
    }
    const points: Array<readonly [number, number]> = [];
    let labels: Record<string, string> | null = null;
    for (let t = start; t <= end; t += step) {
      const samples = this.#at(t);
      const inShard =
        shard === null ||
        samples.some(
          (s) => s.name === 'seismo_shard_info' && s.labels.index === shard[1] && s.labels.count === shard[2]
        );
      const sample = samples.find((s) => s.name === name);
      if (sample !== undefined && inShard) {
        points.push([t, sample.value]);
        labels = sample.labels;
      }
    }
    return {
      resultType: 'matrix',
      result: labels === null ? [] : [{ metric: labels, points }],
      warnings: [],
      chunks: 1,
    };
  }

  /** An instant selector `name{job="…", instance="…"}` at `time`. */
  instant(promql: string, time: number): InstantResult | null {
    const name = /^(seismo_[a-z_]+)\{/.exec(promql)?.[1];
    if (name === undefined) {
      return null;
    }
    const result = this.#at(time)
      .filter((s) => s.name === name)
      .map((s) => ({ metric: s.labels, time, value: s.value }));
    return { resultType: 'vector', result, warnings: [] };
  }
}
