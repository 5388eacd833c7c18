import type { SignalDeclaration } from '../../rootcause/case/index.js';

/** How several pods of one service combine into the service's value. */
export type PodAggregate = 'sum' | 'mean' | 'max';

export interface NezhaColumn {
  /** Canonical signal name, or a free-form one declared below. */
  signal: string;
  /** Multiplier into the signal's base unit. */
  scale: number;
  aggregate: PodAggregate;
  /** Present for free-form signals; canonical ones take their meaning from the catalogue. */
  declaration?: SignalDeclaration;
}

const LATENCY_FLOOR = 0.001;

/**
 * Columns of the Nezha per-pod metric files and what they become. Latencies are in seconds,
 * CPU in millicores, memory in MiB (per the column names). The network and syscall columns
 * carry no unit; they are taken as per-second rates as a Prometheus rate() would give, which
 * only matters for display: the ranker compares every signal with its own baseline.
 */
export const NEZHA_POD_COLUMNS: Readonly<Record<string, NezhaColumn>> = Object.freeze({
  'CpuUsage(m)': { signal: 'cpu_usage', scale: 0.001, aggregate: 'sum' },
  'CpuUsageRate(%)': {
    signal: 'cpu_usage_percent',
    scale: 1,
    aggregate: 'mean',
    declaration: { role: 'resource', badDirection: 'up', unit: 'percent of the CPU limit', scaleFloor: 0.01 },
  },
  'MemoryUsage(Mi)': { signal: 'memory_working_set', scale: 1024 * 1024, aggregate: 'sum' },
  'MemoryUsageRate(%)': {
    signal: 'memory_usage_percent',
    scale: 1,
    aggregate: 'mean',
    declaration: { role: 'resource', badDirection: 'up', unit: 'percent of the memory limit', scaleFloor: 0.01 },
  },
  SyscallRead: {
    signal: 'syscall_read_rate',
    scale: 1,
    aggregate: 'sum',
    declaration: { role: 'resource', badDirection: 'up', unit: 'calls/second (assumed)', scaleFloor: 1 },
  },
  SyscallWrite: {
    signal: 'syscall_write_rate',
    scale: 1,
    aggregate: 'sum',
    declaration: { role: 'resource', badDirection: 'up', unit: 'calls/second (assumed)', scaleFloor: 1 },
  },
  NetworkReceiveBytes: { signal: 'network_receive_rate', scale: 1, aggregate: 'sum' },
  NetworkTransmitBytes: { signal: 'network_transmit_rate', scale: 1, aggregate: 'sum' },
  'PodClientLatencyP90(s)': {
    signal: 'outbound_latency_p90',
    scale: 1,
    aggregate: 'max',
    declaration: { role: 'outbound_latency', badDirection: 'up', unit: 'seconds', scaleFloor: LATENCY_FLOOR },
  },
  'PodServerLatencyP90(s)': {
    signal: 'latency_p90',
    scale: 1,
    aggregate: 'max',
    declaration: { role: 'latency', badDirection: 'up', unit: 'seconds', scaleFloor: LATENCY_FLOOR },
  },
  'PodClientLatencyP95(s)': { signal: 'outbound_latency_p95', scale: 1, aggregate: 'max' },
  'PodServerLatencyP95(s)': { signal: 'latency_p95', scale: 1, aggregate: 'max' },
  'PodClientLatencyP99(s)': {
    signal: 'outbound_latency_p99',
    scale: 1,
    aggregate: 'max',
    declaration: { role: 'outbound_latency', badDirection: 'up', unit: 'seconds', scaleFloor: LATENCY_FLOOR },
  },
  'PodServerLatencyP99(s)': { signal: 'latency_p99', scale: 1, aggregate: 'max' },
  'PodWorkload(Ops)': { signal: 'request_rate', scale: 1, aggregate: 'sum' },
  'PodSuccessRate(%)': {
    signal: 'success_rate_percent',
    scale: 1,
    aggregate: 'mean',
    declaration: { role: 'errors', badDirection: 'down', unit: 'percent', scaleFloor: 0.1 },
  },
  // Node columns describe the machine the pod runs on, shared with other pods.
  'NodeCpuUsageRate(%)': {
    signal: 'node_cpu_usage_percent',
    scale: 1,
    aggregate: 'mean',
    declaration: { role: 'context', badDirection: 'up', unit: 'percent' },
  },
  'NodeMemoryUsageRate(%)': {
    signal: 'node_memory_usage_percent',
    scale: 1,
    aggregate: 'mean',
    declaration: { role: 'context', badDirection: 'up', unit: 'percent' },
  },
  NodeNetworkReceiveBytes: {
    signal: 'node_network_receive_rate',
    scale: 1,
    aggregate: 'mean',
    declaration: { role: 'context', badDirection: 'both', unit: 'bytes/second (assumed)' },
  },
});

/** Per-edge latency files: which side of the call measured it. */
export const NEZHA_EDGE_FILES: Readonly<Record<string, { signal: string; declaration: SignalDeclaration }>> =
  Object.freeze({
    source_50: {
      signal: 'client_latency',
      declaration: {
        role: 'latency',
        badDirection: 'up',
        unit: 'seconds',
        scaleFloor: LATENCY_FLOOR,
        description: 'latency of the call as reported on the caller side (Nezha source_50 file)',
      },
    },
    destination_50: {
      signal: 'server_latency',
      declaration: {
        role: 'latency',
        badDirection: 'up',
        unit: 'seconds',
        scaleFloor: LATENCY_FLOOR,
        description: 'latency of the call as reported on the callee side (Nezha destination_50 file)',
      },
    },
  });
