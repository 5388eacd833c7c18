import { createRandom, type Random } from '../random.js';
import type { Topology } from '../topology/types.js';

/** How telemetry names one workload: the Kubernetes identity it would have in a real cluster. */
export interface Workload {
  /** Deployment name; equals the service name for mesh services. */
  name: string;
  namespace: string;
  /** Value of the pod's `app` label (Istio source_app / destination_app). */
  app: string;
  /** Value of the pod's `version` label, "unknown" when the topology gives none (as Istio reports it). */
  version: string;
  /** One pod per workload: `<name>-<replicaset hash>-<suffix>`, stable for a given seed. */
  pod: string;
  podUid: string;
  containerId: string;
  sandboxId: string;
  /** True for services of the topology, false for the load generator and unknown callers. */
  inMesh: boolean;
}

/** Kubernetes' alphabet for generated name suffixes (no vowels, no look-alike characters). */
const K8S_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The Kubernetes identity of every workload the telemetry mentions: the topology's services, the
 * load generator, and "unknown" for callers that did not say who they are. Derived from the seed,
 * so pod names are stable across runs with the same seed and differ between seeds, like
 * redeployments would.
 */
export class WorkloadDirectory {
  private readonly workloads = new Map<string, Workload>();
  private readonly random: Random;

  constructor(topology: Topology, seed: number, externalClients: readonly string[]) {
    this.random = createRandom(seed).fork('workload-directory');
    const firstEntry = topology.entrypoints[0];
    const externalNamespace = (firstEntry && topology.services.get(firstEntry.service)?.namespace) ?? 'default';
    for (const service of topology.services.values()) {
      this.workloads.set(
        service.name,
        this.create(service.name, service.namespace, service.labels.version ?? 'unknown', true)
      );
    }
    for (const name of externalClients) {
      this.workloads.set(name, this.create(name, externalNamespace, 'unknown', false));
    }
  }

  /** The workload of that name; a name nobody declared reads as Istio's "unknown" source. */
  get(name: string): Workload {
    return this.workloads.get(name) ?? this.unknown();
  }

  services(): Workload[] {
    return [...this.workloads.values()].filter((w) => w.inMesh);
  }

  private unknown(): Workload {
    let w = this.workloads.get('unknown');
    if (!w) {
      w = { ...this.create('unknown', 'unknown', 'unknown', false), app: 'unknown', pod: 'unknown' };
      this.workloads.set('unknown', w);
    }
    return w;
  }

  private create(name: string, namespace: string, version: string, inMesh: boolean): Workload {
    const r = this.random.fork(name);
    const pick = (n: number, alphabet: string): string =>
      Array.from({ length: n }, () => alphabet[Math.floor(r.next() * alphabet.length)]).join('');
    const hex = (n: number): string => pick(n, '0123456789abcdef');
    return {
      name,
      namespace,
      app: name,
      version,
      pod: `${name}-${pick(10, K8S_ALPHABET)}-${pick(5, K8S_ALPHABET)}`,
      podUid: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
      containerId: hex(64),
      sandboxId: hex(64),
      inMesh,
    };
  }
}
