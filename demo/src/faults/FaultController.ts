import type { Clock } from '../mesh/clock.js';
import type { Edge } from '../topology/types.js';
import { ActiveFaults } from './ActiveFaults.js';
import { FaultConflictError } from './FaultConflictError.js';
import type { GroundTruthLog } from './GroundTruthLog.js';
import { faultParams, faultTarget, type FaultSpec } from './types.js';

/** Side effects of faults that are more than a lookup on the request path (hogs, leaks, a closed port). */
export interface FaultActuator {
  activate(fault: FaultSpec): void;
  deactivate(fault: FaultSpec): void;
}

export type FaultState = 'scheduled' | 'active' | 'ended' | 'cancelled';

/** A fault and where it is in its life, as GET /faults shows it. */
export interface FaultStatus {
  id: string;
  type: FaultSpec['type'];
  target: string | Edge;
  state: FaultState;
  /** Planned start before it happens, actual start after (ISO 8601). */
  start: string;
  /** Planned or actual end; null when the fault lasts until removed. */
  end: string | null;
  params: Record<string, string | number>;
}

interface Entry {
  fault: FaultSpec;
  state: FaultState;
  startMs: number;
  endMs: number | null;
  timer?: unknown;
}

/**
 * Starts and ends faults on time. Times come from the injected clock, so a scenario can be run
 * to completion in a unit test by advancing a manual clock. Every start and end is written to the
 * ground-truth log at the moment it takes effect.
 */
export class FaultController {
  /** The faults in effect now, for the request path. */
  readonly active = new ActiveFaults();
  private readonly entries = new Map<string, Entry>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly groundTruth: GroundTruthLog,
    private readonly actuator: FaultActuator = { activate() {}, deactivate() {} }
  ) {}

  /**
   * Plans faults relative to `originMs` (default now): each starts at origin + startSeconds and,
   * if it has a duration, ends that many seconds later. A fault whose start is not in the future
   * starts before this returns. All ids are checked before any fault is planned.
   */
  schedule(faults: readonly FaultSpec[], originMs: number = this.clock.now()): FaultStatus[] {
    if (this.stopped) {
      throw new Error('the fault controller is stopped');
    }
    for (const fault of faults) {
      if (this.entries.has(fault.id)) {
        throw new FaultConflictError(fault.id);
      }
    }
    return faults.map((fault) => {
      const startMs = originMs + fault.startSeconds * 1000;
      const endMs = fault.durationSeconds === null ? null : startMs + fault.durationSeconds * 1000;
      const entry: Entry = { fault, state: 'scheduled', startMs, endMs };
      this.entries.set(fault.id, entry);
      const wait = startMs - this.clock.now();
      if (wait <= 0) {
        this.start(entry);
      } else {
        entry.timer = this.clock.setTimeout(() => this.start(entry), wait);
      }
      return this.status(entry);
    });
  }

  /** Ends an active fault now or cancels a planned one; undefined when the id is unknown. */
  remove(id: string): FaultStatus | undefined {
    const entry = this.entries.get(id);
    if (!entry) {
      return undefined;
    }
    if (entry.state === 'active') {
      this.end(entry);
    } else if (entry.state === 'scheduled') {
      this.clock.clearTimeout(entry.timer);
      entry.state = 'cancelled';
    }
    return this.status(entry);
  }

  get(id: string): FaultStatus | undefined {
    const entry = this.entries.get(id);
    return entry && this.status(entry);
  }

  list(): FaultStatus[] {
    return [...this.entries.values()].map((e) => this.status(e));
  }

  /**
   * Ends every active fault (logging its end), cancels planned ones and clears all timers. Every
   * fault is ended even if logging one fails; the first failure is rethrown at the end.
   */
  stop(): void {
    if (this.stopped) {
      return;
    }
    this.stopped = true;
    let failure: unknown;
    for (const entry of this.entries.values()) {
      try {
        this.remove(entry.fault.id);
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure !== undefined) {
      throw failure;
    }
  }

  private start(entry: Entry): void {
    if (entry.state !== 'scheduled') {
      return;
    }
    entry.state = 'active';
    entry.startMs = this.clock.now();
    this.active.add(entry.fault);
    if (entry.endMs !== null) {
      entry.endMs = entry.startMs + (entry.fault.durationSeconds ?? 0) * 1000;
      entry.timer = this.clock.setTimeout(() => this.end(entry), entry.endMs - entry.startMs);
    }
    this.actuator.activate(entry.fault);
    this.groundTruth.started(entry.fault, entry.startMs);
  }

  private end(entry: Entry): void {
    if (entry.state !== 'active') {
      return;
    }
    this.clock.clearTimeout(entry.timer);
    entry.state = 'ended';
    entry.endMs = this.clock.now();
    this.active.remove(entry.fault);
    this.actuator.deactivate(entry.fault);
    this.groundTruth.ended(entry.fault, entry.startMs, entry.endMs);
  }

  private status(entry: Entry): FaultStatus {
    return {
      id: entry.fault.id,
      type: entry.fault.type,
      target: faultTarget(entry.fault),
      state: entry.state,
      start: new Date(entry.startMs).toISOString(),
      end: entry.endMs === null ? null : new Date(entry.endMs).toISOString(),
      params: faultParams(entry.fault),
    };
  }
}
