import { createDataFrame, type DataFrame, FieldType } from '@grafana/data';

/**
 * A service graph of `nodes` services with `edgesPerNode` calls each (seeded, so every run draws
 * the same graph), in Seismo's topology frame shape: for the rendering benchmark. A few percent
 * of services are anomalous and some are in warm-up or unknown, as in a real mesh.
 */
export function syntheticTopology(nodes: number, edgesPerNode: number, seed = 1): DataFrame[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const ids = Array.from({ length: nodes }, (_, i) => `svc-${String(i).padStart(4, '0')}`);
  const states = ids.map(() => {
    const r = random();
    return r < 0.03 ? 'unknown' : r < 0.05 ? 'warmup' : 'ok';
  });
  const scores = ids.map((_, i) => (states[i] === 'ok' ? (random() < 0.04 ? 1 : random() * 0.9) : null));
  const sources: string[] = [];
  const targets: string[] = [];
  const seen = new Set<string>();
  // Callers call services with a higher index (a layered, mostly acyclic mesh like real ones).
  for (let i = 0; i < nodes; i++) {
    for (let k = 0; k < edgesPerNode; k++) {
      const span = Math.max(1, Math.round(nodes * 0.05));
      const j = i + 1 + Math.floor(random() * span);
      const target = j < nodes ? j : Math.floor(random() * nodes);
      const key = `${i}>${target}`;
      if (target === i || seen.has(key)) {
        continue;
      }
      seen.add(key);
      sources.push(ids[i]!);
      targets.push(ids[target]!);
    }
  }
  return [
    createDataFrame({
      name: 'nodes',
      meta: { preferredVisualisationType: 'nodeGraph' },
      fields: [
        { name: 'id', type: FieldType.string, values: ids },
        { name: 'title', type: FieldType.string, values: ids },
        { name: 'state', type: FieldType.string, values: states },
        { name: 'score', type: FieldType.number, values: scores },
        { name: 'threshold', type: FieldType.number, values: ids.map(() => 1) },
        { name: 'anomalous', type: FieldType.boolean, values: scores.map((s) => (s === null ? null : s >= 1)) },
        { name: 'namespace', type: FieldType.string, values: ids.map((_, i) => `ns-${i % 40}`) },
      ],
    }),
    createDataFrame({
      name: 'edges',
      fields: [
        { name: 'id', type: FieldType.string, values: sources.map((s, i) => `${s}->${targets[i]}`) },
        { name: 'source', type: FieldType.string, values: sources },
        { name: 'target', type: FieldType.string, values: targets },
        { name: 'state', type: FieldType.string, values: sources.map(() => 'ok') },
        { name: 'score', type: FieldType.number, values: sources.map(() => random() * 0.9) },
        { name: 'request_rate', type: FieldType.number, values: sources.map(() => random() * 50) },
      ],
    }),
  ];
}
