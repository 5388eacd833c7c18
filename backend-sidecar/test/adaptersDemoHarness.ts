/**
 * Typed access to the demo workspace's Prometheus harness and mesh for the adapter tests.
 *
 * The demo lives outside this workspace's TypeScript root, so it is imported at run time through
 * computed specifiers (tsx resolves them) and described here by the small part the tests use.
 */

export interface ScrapeTarget {
  job: string;
  targets: string[];
}

export interface VectorSample {
  metric: Record<string, string>;
  time: number;
  value: number;
}

export interface RunningPrometheus {
  readonly url: string;
  waitForTargetsUp(timeoutMs?: number): Promise<unknown>;
  waitFor(promql: string, predicate: (samples: VectorSample[]) => boolean, timeoutMs?: number): Promise<VectorSample[]>;
  queryVector(promql: string): Promise<VectorSample[]>;
  stop(): Promise<void>;
}

export interface PrometheusHarness {
  startPrometheus(options: {
    scrapeTargets: ScrapeTarget[];
    scrapeIntervalSeconds?: number;
    /** Port on 127.0.0.1; default a free one. */
    port?: number;
  }): Promise<RunningPrometheus>;
  resolvePrometheusBinary(): Promise<string>;
}

export interface Topology {
  name: string;
  services: Map<string, { name: string; namespace: string }>;
  entrypoints: Array<{ service: string; endpoint: string; weight: number }>;
}

export interface RunningMesh {
  readonly metricsUrl: string;
  /** Base URL of the fault control API (POST /faults). */
  readonly controlUrl: string;
  readonly registry: {
    getSingleMetric(
      name: string
    ): { get(): Promise<{ values: Array<{ labels: Record<string, string | number> }> }> } | undefined;
  };
  send(entry: { service: string; endpoint: string }, signal?: AbortSignal): Promise<{ status: number }>;
  stop(): Promise<void>;
}

export interface LoadGenerator {
  run(): Promise<unknown>;
  stop(): void;
}

export interface MeshModules {
  loadTopology(path: string): Topology;
  callEdges(topology: Topology, externalClient?: string): Array<{ client: string; server: string }>;
  startMesh(options: { topology: Topology; seed?: number; callTimeoutMs?: number }): Promise<RunningMesh>;
  createProfile(spec: { kind: 'steady'; rps: number }): unknown;
  LoadGenerator: new (options: {
    profile: unknown;
    entrypoints: Topology['entrypoints'];
    seed: number;
    durationSeconds: number;
    send: (entry: { service: string; endpoint: string }, signal: AbortSignal) => Promise<unknown>;
  }) => LoadGenerator;
  LOAD_GENERATOR_WORKLOAD: string;
  topologyPath(name: string): string;
}

const demo = (path: string): string => new URL(`../../demo/${path}`, import.meta.url).href;

export async function loadPrometheusHarness(): Promise<PrometheusHarness> {
  return (await import(demo('src/prometheus/index.js'))) as PrometheusHarness;
}

/** Whether the Prometheus binary the harness would run is installed. */
export async function prometheusAvailable(): Promise<boolean> {
  try {
    await (await loadPrometheusHarness()).resolvePrometheusBinary();
    return true;
  } catch {
    return false;
  }
}

export async function loadMeshModules(): Promise<MeshModules> {
  const [topology, edges, mesh, load, workload] = await Promise.all([
    import(demo('src/topology/loadTopology.js')),
    import(demo('src/topology/callEdges.js')),
    import(demo('src/mesh/startMesh.js')),
    import(demo('src/load/index.js')),
    import(demo('src/mesh/loadGeneratorWorkload.js')),
  ]);
  return {
    loadTopology: topology.loadTopology,
    callEdges: edges.callEdges,
    startMesh: mesh.startMesh,
    createProfile: load.createProfile,
    LoadGenerator: load.LoadGenerator,
    LOAD_GENERATOR_WORKLOAD: workload.LOAD_GENERATOR_WORKLOAD,
    topologyPath: (name: string) => new URL(`../../demo/topologies/${name}.yaml`, import.meta.url).pathname,
  } as MeshModules;
}
