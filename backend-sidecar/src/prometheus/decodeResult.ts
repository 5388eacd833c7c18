import { parseSampleValue } from './parseSampleValue.js';
import { PrometheusError } from './PrometheusError.js';
import type { InstantResult, Labels, MatrixSeries, Point, VectorSample } from './types.js';

/**
 * The typed result of a query or query_range answer's `data`. Anything that does not have the
 * documented shape is a 'decode' error rather than a half-parsed result.
 */
export function decodeResult(data: unknown, warnings: readonly string[], path: string): InstantResult {
  if (data === null || typeof data !== 'object') {
    throw bad(path, 'data is missing');
  }
  const { resultType, result } = data as { resultType?: unknown; result?: unknown };
  switch (resultType) {
    case 'vector':
      return { resultType, warnings, result: asArray(result, path).map((raw) => vectorSample(raw, path)) };
    case 'matrix':
      return { resultType, warnings, result: asArray(result, path).map((raw) => matrixSeries(raw, path)) };
    case 'scalar':
      return { resultType, warnings, result: point(result, path) };
    case 'string': {
      const [time, value] = asArray(result, path);
      if (typeof time !== 'number' || typeof value !== 'string') {
        throw bad(path, 'string result must be [time, "text"]');
      }
      return { resultType, warnings, result: [time, value] };
    }
    default:
      throw bad(path, `unknown resultType ${JSON.stringify(resultType)}`);
  }
}

function bad(path: string, message: string): PrometheusError {
  return new PrometheusError('decode', message, { path });
}

function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) {
    throw bad(path, 'result must be an array');
  }
  return value;
}

function labels(raw: unknown, path: string): Labels {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw bad(path, 'series without a metric object');
  }
  return raw as Labels;
}

function point(raw: unknown, path: string): Point {
  if (!Array.isArray(raw) || raw.length < 2 || typeof raw[0] !== 'number') {
    throw bad(path, 'sample must be [unixSeconds, "value"]');
  }
  return [raw[0], parseSampleValue(raw[1])];
}

function vectorSample(raw: unknown, path: string): VectorSample {
  const { metric, value } = (raw ?? {}) as { metric?: unknown; value?: unknown };
  const [time, v] = point(value, path);
  return { metric: labels(metric, path), time, value: v };
}

function matrixSeries(raw: unknown, path: string): MatrixSeries {
  const { metric, values } = (raw ?? {}) as { metric?: unknown; values?: unknown };
  // Native-histogram series come with "histograms" and no "values"; they have no float samples.
  const points = values === undefined ? [] : asArray(values, path);
  // A range answer holds one pair per series and step (millions for a large mesh): each parsed
  // [time, "value"] pair becomes the point itself, its value converted in place, instead of a copy.
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number') {
      throw bad(path, 'sample must be [unixSeconds, "value"]');
    }
    p[1] = parseSampleValue(p[1]);
    if (p.length > 2) {
      p.length = 2;
    }
  }
  return { metric: labels(metric, path), points: points as Point[] };
}
