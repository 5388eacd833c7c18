/** A closed interval of unix seconds, [from, to]. */
export type Interval = readonly [number, number];

/** Plain JSON form, as stored in the state directory. */
export interface BaselineExclusionsJson {
  readonly services: Readonly<Record<string, readonly Interval[]>>;
  /** Periods excluded for every service (an incident was open). */
  readonly all: readonly Interval[];
}

function isInterval(value: unknown): value is Interval {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    typeof value[0] === 'number' &&
    typeof value[1] === 'number' &&
    Number.isFinite(value[0]) &&
    Number.isFinite(value[1]) &&
    value[0] <= value[1]
  );
}

/** Adds [from, to] to a sorted list of disjoint intervals, merging what overlaps or touches. */
function insert(list: Interval[], from: number, to: number): boolean {
  let start = from;
  let end = to;
  const kept: Interval[] = [];
  let changed = true;
  for (const [a, b] of list) {
    if (b < start || a > end) {
      kept.push([a, b]);
    } else if (a <= start && b >= end) {
      // Already covered: nothing changes.
      changed = false;
      kept.push([a, b]);
    } else {
      start = Math.min(start, a);
      end = Math.max(end, b);
    }
  }
  if (!changed) {
    return false;
  }
  kept.push([start, end]);
  kept.sort((x, y) => x[0] - y[0]);
  list.splice(0, list.length, ...kept);
  return true;
}

function covers(list: readonly Interval[] | undefined, t: number): boolean {
  if (list === undefined) {
    return false;
  }
  for (const [a, b] of list) {
    if (t >= a && t <= b) {
      return true;
    }
  }
  return false;
}

/**
 * The periods baselines must not be learned from: when a service was judged anomalous, and when
 * an incident was open (for every service, since a fault reaches services that are never flagged
 * themselves). Intervals are merged as they are added and pruned once they fall out of the
 * learning window, so the record stays small however long the sidecar runs.
 */
export class BaselineExclusions {
  readonly #services = new Map<string, Interval[]>();
  readonly #all: Interval[] = [];

  /** Excludes one service's points in [from, to]; returns whether anything changed. */
  markService(service: string, from: number, to: number): boolean {
    let list = this.#services.get(service);
    if (list === undefined) {
      list = [];
      this.#services.set(service, list);
    }
    return insert(list, from, to);
  }

  /** Excludes every service's points in [from, to]; returns whether anything changed. */
  markAll(from: number, to: number): boolean {
    return insert(this.#all, from, to);
  }

  excluded(service: string, t: number): boolean {
    return covers(this.#all, t) || covers(this.#services.get(service), t);
  }

  /** Drops what ended before `before`; returns whether anything changed. */
  prune(before: number): boolean {
    let changed = false;
    const trim = (list: Interval[]): void => {
      const kept = list.filter(([, b]) => b >= before);
      if (kept.length !== list.length) {
        list.splice(0, list.length, ...kept);
        changed = true;
      }
    };
    trim(this.#all);
    for (const [service, list] of this.#services) {
      trim(list);
      if (list.length === 0) {
        this.#services.delete(service);
      }
    }
    return changed;
  }

  forget(service: string): boolean {
    return this.#services.delete(service);
  }

  toJSON(): BaselineExclusionsJson {
    const services: Record<string, Interval[]> = {};
    for (const [service, list] of this.#services) {
      services[service] = list.map(([a, b]) => [a, b]);
    }
    return { services, all: this.#all.map(([a, b]) => [a, b]) };
  }

  /** Rebuilds from stored JSON; throws with the field when it is malformed. */
  static fromJSON(json: unknown): BaselineExclusions {
    const out = new BaselineExclusions();
    const value = json as Partial<BaselineExclusionsJson> | null;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error('exclusions: must be an object {services, all}');
    }
    const all: unknown = value.all ?? [];
    if (!Array.isArray(all) || !all.every(isInterval)) {
      throw new Error('exclusions.all: must be a list of [from, to] unix seconds with from <= to');
    }
    for (const [a, b] of all) {
      out.markAll(a, b);
    }
    const services: unknown = value.services ?? {};
    if (services === null || typeof services !== 'object' || Array.isArray(services)) {
      throw new Error('exclusions.services: must be an object {service: [[from, to], ...]}');
    }
    for (const [service, list] of Object.entries(services as Record<string, unknown>)) {
      if (!Array.isArray(list) || !list.every(isInterval)) {
        throw new Error(`exclusions.services.${service}: must be a list of [from, to] unix seconds with from <= to`);
      }
      for (const [a, b] of list) {
        out.markService(service, a, b);
      }
    }
    return out;
  }
}
