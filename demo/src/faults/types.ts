import type { Edge } from '../topology/types.js';

/**
 * Faults the demo mesh can inject, modelled on what operators inject in real meshes: Istio
 * VirtualService fault injection (delay, abort on an edge) and chaos experiments on a workload
 * (CPU contention, memory leak, a dead or slow service).
 *
 * Times are relative to the start of the scenario (or, for faults posted to the control API, to
 * the moment of the request).
 */
export type FaultType = 'delay' | 'abort' | 'cpu' | 'memory-leak' | 'dead' | 'slow';

export const FAULT_TYPES: readonly FaultType[] = ['delay', 'abort', 'cpu', 'memory-leak', 'dead', 'slow'];

interface FaultTiming {
  /** Unique within a run; also the key of DELETE /faults/:id. */
  id: string;
  /** Seconds after the scenario start at which the fault begins. */
  startSeconds: number;
  /** How long it lasts; null means until removed or until the mesh stops. */
  durationSeconds: number | null;
}

/** A fixed delay added by the caller's side before a call on this edge goes out (Istio fault.delay). */
export interface DelayFault extends FaultTiming {
  type: 'delay';
  edge: Edge;
  delayMs: number;
  /** Share of the edge's requests affected, 0..100 (Istio fault.delay.percentage). */
  percentage: number;
}

/** The caller's side answers calls on this edge itself with an HTTP error (Istio fault.abort). */
export interface AbortFault extends FaultTiming {
  type: 'abort';
  edge: Edge;
  httpStatus: number;
  percentage: number;
}

/** CPU contention in a service: more CPU per request and/or a background hog. */
export interface CpuFault extends FaultTiming {
  type: 'cpu';
  service: string;
  /** Extra CPU milliseconds burned on every request the service handles. */
  extraCpuMsPerRequest: number;
  /** Background CPU burned continuously, in cores (0.5 = half a core), at most 0.9 because all
   * services share one event loop and a full core would starve every other service. */
  hogCores: number;
}

/** The service retains memory it never frees, at a steady rate, up to a cap. */
export interface MemoryLeakFault extends FaultTiming {
  type: 'memory-leak';
  service: string;
  bytesPerSecond: number;
  /** Leak stops growing here, so a forgotten fault cannot exhaust the machine. */
  maxBytes: number;
}

/**
 * The service stops answering. `hang`: connections are accepted, requests never answered (callers
 * time out). `refuse`: the port is closed (callers get connection refused). Either way it serves
 * nothing, so its own request metrics stop growing.
 */
export interface DeadFault extends FaultTiming {
  type: 'dead';
  service: string;
  mode: 'hang' | 'refuse';
}

/** A slow service: every response it sends waits `delayMs` longer. */
export interface SlowFault extends FaultTiming {
  type: 'slow';
  service: string;
  delayMs: number;
}

export type EdgeFault = DelayFault | AbortFault;
export type ServiceFault = CpuFault | MemoryLeakFault | DeadFault | SlowFault;
export type FaultSpec = EdgeFault | ServiceFault;

export interface Scenario {
  name?: string;
  description?: string;
  faults: FaultSpec[];
}

/** Where a fault applies: a service name, or a call edge. */
export function faultTarget(fault: FaultSpec): string | Edge {
  return 'edge' in fault ? { client: fault.edge.client, server: fault.edge.server } : fault.service;
}

/** The effect parameters of a fault (everything but identity, target and timing). */
export function faultParams(fault: FaultSpec): Record<string, string | number> {
  switch (fault.type) {
    case 'delay':
      return { delayMs: fault.delayMs, percentage: fault.percentage };
    case 'abort':
      return { httpStatus: fault.httpStatus, percentage: fault.percentage };
    case 'cpu':
      return { extraCpuMsPerRequest: fault.extraCpuMsPerRequest, hogCores: fault.hogCores };
    case 'memory-leak':
      return { bytesPerSecond: fault.bytesPerSecond, maxBytes: fault.maxBytes };
    case 'dead':
      return { mode: fault.mode };
    case 'slow':
      return { delayMs: fault.delayMs };
  }
}
