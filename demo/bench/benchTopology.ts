import { generateTopology } from '../src/topology/generateTopology.js';
import { loadTopology } from '../src/topology/loadTopology.js';
import type { Topology } from '../src/topology/types.js';
import { withoutServiceTime } from './configuredLatency.js';
import type { TopologySource } from './protocol.js';

/** The benchmark's topology, built the same way in the parent and in the mesh child. */
export function buildTopology(source: TopologySource, noServiceTime: boolean): Topology {
  const topology =
    source.kind === 'file'
      ? loadTopology(source.path)
      : generateTopology({ services: source.services, seed: source.seed });
  return noServiceTime ? withoutServiceTime(topology) : topology;
}

/** Memory the topology's services really allocate, bytes: the floor of the mesh's resident set. */
export function configuredMemoryBytes(topology: Topology): number {
  let sum = 0;
  for (const spec of topology.services.values()) {
    sum += spec.memoryBytes;
  }
  return sum;
}
