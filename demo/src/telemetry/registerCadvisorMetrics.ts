import { Counter, Gauge, type Registry } from 'prom-client';
import type { ResourceMeter } from '../mesh/ResourceMeter.js';
import type { Workload, WorkloadDirectory } from './WorkloadDirectory.js';

/**
 * Container metrics as the kubelet's cAdvisor endpoint exposes them (cAdvisor's Prometheus
 * metrics reference), read from each service's ResourceMeter at scrape time:
 *
 * - container_cpu_usage_seconds_total{container, cpu="total", id, image, name, namespace, pod}:
 *   CPU the service really burned, measured with process.cpuUsage around its work.
 * - container_memory_working_set_bytes{container, id, image, name, namespace, pod}: the bytes it
 *   holds (its base allocation plus any leak).
 * - container_network_receive_bytes_total / container_network_transmit_bytes_total
 *   {id, image, interface, name, namespace, pod}: reported for the pod sandbox, as the kubelet
 *   does, so they carry no container label.
 *
 * One series per service and metric: cardinality grows with services only.
 */
export function registerCadvisorMetrics(
  registry: Registry,
  directory: WorkloadDirectory,
  meters: ReadonlyMap<string, ResourceMeter>
): void {
  const containerLabels = ['container', 'id', 'image', 'name', 'namespace', 'pod'] as const;
  const networkLabels = ['id', 'image', 'interface', 'name', 'namespace', 'pod'] as const;
  const workloads = directory.services().filter((w) => meters.has(w.name));
  const container = (w: Workload): Record<(typeof containerLabels)[number], string> => ({
    container: w.name,
    id: `/kubepods/burstable/pod${w.podUid}/${w.containerId}`,
    image: `docker.io/seismo/demo-${w.name}:latest`,
    name: w.containerId,
    namespace: w.namespace,
    pod: w.pod,
  });
  const sandbox = (w: Workload): Record<(typeof networkLabels)[number], string> => ({
    id: `/kubepods/burstable/pod${w.podUid}`,
    image: 'registry.k8s.io/pause:3.9',
    interface: 'eth0',
    name: w.sandboxId,
    namespace: w.namespace,
    pod: w.pod,
  });

  // Counters only move forward by increments; keep what was reported to add just the growth.
  const reported = new Map<string, number>();
  const advance = (counter: Counter<string>, key: string, labels: Record<string, string>, total: number): void => {
    const before = reported.get(key) ?? 0;
    if (total > before) {
      counter.inc(labels, total - before);
      reported.set(key, total);
    } else if (!reported.has(key)) {
      counter.inc(labels, 0);
      reported.set(key, total);
    }
  };

  new Counter({
    name: 'container_cpu_usage_seconds_total',
    help: 'Cumulative cpu time consumed in seconds.',
    labelNames: [...containerLabels, 'cpu'],
    registers: [registry],
    collect() {
      for (const w of workloads) {
        advance(this, `cpu|${w.name}`, { ...container(w), cpu: 'total' }, meters.get(w.name)!.cpuSeconds());
      }
    },
  });
  new Gauge({
    name: 'container_memory_working_set_bytes',
    help: 'Current working set in bytes.',
    labelNames: [...containerLabels],
    registers: [registry],
    collect() {
      for (const w of workloads) {
        this.set(container(w), meters.get(w.name)!.workingSetBytes());
      }
    },
  });
  new Counter({
    name: 'container_network_receive_bytes_total',
    help: 'Cumulative count of bytes received',
    labelNames: [...networkLabels],
    registers: [registry],
    collect() {
      for (const w of workloads) {
        advance(this, `rx|${w.name}`, sandbox(w), meters.get(w.name)!.rxBytes);
      }
    },
  });
  new Counter({
    name: 'container_network_transmit_bytes_total',
    help: 'Cumulative count of bytes transmitted',
    labelNames: [...networkLabels],
    registers: [registry],
    collect() {
      for (const w of workloads) {
        advance(this, `tx|${w.name}`, sandbox(w), meters.get(w.name)!.txBytes);
      }
    },
  });
}
