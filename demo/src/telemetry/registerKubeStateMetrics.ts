import { Gauge, type Registry } from 'prom-client';
import type { Topology } from '../topology/types.js';
import type { WorkloadDirectory } from './WorkloadDirectory.js';

/** Prometheus label names allow [a-zA-Z0-9_]; kube-state-metrics maps other characters to "_". */
function sanitise(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

/**
 * The kube-state-metrics series that tie a container's pod to its workload and carry the
 * workload's Kubernetes labels, as kube-state-metrics exposes them (its pod, replicaset and
 * deployment metric references):
 *
 * - kube_pod_owner{namespace, pod, uid, owner_kind="ReplicaSet", owner_name, owner_is_controller}
 * - kube_replicaset_owner{namespace, replicaset, owner_kind="Deployment", owner_name, owner_is_controller}
 * - kube_deployment_labels{namespace, deployment, label_<name>...}: the topology's service labels
 *   (team, tier, ...), as exported with --metric-labels-allowlist.
 *
 * Every demo service is a Deployment with one ReplicaSet and one pod, whose names follow
 * Kubernetes' `<deployment>-<hash>-<suffix>` pattern (WorkloadDirectory). Without these series a
 * cAdvisor series names only its pod, and nothing could attribute it to a service.
 */
export function registerKubeStateMetrics(registry: Registry, directory: WorkloadDirectory, topology: Topology): void {
  const workloads = directory.services();
  const labelNames = [
    ...new Set(
      [...topology.services.values()].flatMap((s) => Object.keys(s.labels).map((k) => `label_${sanitise(k)}`))
    ),
  ].sort();
  const replicaset = (pod: string): string => pod.slice(0, pod.lastIndexOf('-'));

  new Gauge({
    name: 'kube_pod_owner',
    help: "Information about the Pod's owner.",
    labelNames: ['namespace', 'pod', 'uid', 'owner_kind', 'owner_name', 'owner_is_controller'] as const,
    registers: [registry],
    collect() {
      for (const w of workloads) {
        this.set(
          {
            namespace: w.namespace,
            pod: w.pod,
            uid: w.podUid,
            owner_kind: 'ReplicaSet',
            owner_name: replicaset(w.pod),
            owner_is_controller: 'true',
          },
          1
        );
      }
    },
  });
  new Gauge({
    name: 'kube_replicaset_owner',
    help: "Information about the ReplicaSet's owner.",
    labelNames: ['namespace', 'replicaset', 'owner_kind', 'owner_name', 'owner_is_controller'] as const,
    registers: [registry],
    collect() {
      for (const w of workloads) {
        this.set(
          {
            namespace: w.namespace,
            replicaset: replicaset(w.pod),
            owner_kind: 'Deployment',
            owner_name: w.name,
            owner_is_controller: 'true',
          },
          1
        );
      }
    },
  });
  new Gauge({
    name: 'kube_deployment_labels',
    help: 'Kubernetes labels converted to Prometheus labels.',
    labelNames: ['namespace', 'deployment', ...labelNames],
    registers: [registry],
    collect() {
      for (const w of workloads) {
        const labels: Record<string, string> = { namespace: w.namespace, deployment: w.name };
        for (const [key, value] of Object.entries(topology.services.get(w.name)?.labels ?? {})) {
          labels[`label_${sanitise(key)}`] = value;
        }
        this.set(labels, 1);
      }
    },
  });
}
