import { Registry } from 'prom-client';
import { FaultController } from '../faults/FaultController.js';
import { GroundTruthLog } from '../faults/GroundTruthLog.js';
import { startControlServer, type ControlServer } from '../faults/startControlServer.js';
import type { Scenario } from '../faults/types.js';
import { createRandom } from '../random.js';
import { createIstioSink } from '../telemetry/createIstioSink.js';
import { createObiSink } from '../telemetry/createObiSink.js';
import { registerCadvisorMetrics } from '../telemetry/registerCadvisorMetrics.js';
import { registerKubeStateMetrics } from '../telemetry/registerKubeStateMetrics.js';
import { startMetricsServer, type MetricsServer } from '../telemetry/startMetricsServer.js';
import { combineSinks, type TelemetrySink } from '../telemetry/TelemetrySink.js';
import { WorkloadDirectory } from '../telemetry/WorkloadDirectory.js';
import type { Topology } from '../topology/types.js';
import { systemClock, type Clock } from './clock.js';
import { createFaultActuator } from './createFaultActuator.js';
import { Lifecycle } from './Lifecycle.js';
import { LOAD_GENERATOR_WORKLOAD } from './loadGeneratorWorkload.js';
import { Outbound } from './Outbound.js';
import { ResourceMeter } from './ResourceMeter.js';
import { ServiceNode } from './ServiceNode.js';

export type TelemetryFamily = 'istio' | 'obi' | 'cadvisor' | 'kube-state-metrics';
export const TELEMETRY_FAMILIES: readonly TelemetryFamily[] = ['istio', 'obi', 'cadvisor', 'kube-state-metrics'];

export interface MeshOptions {
  topology: Topology;
  /** Telemetry families on /metrics. Default: all four. */
  telemetry?: readonly TelemetryFamily[];
  /** Seed of every random draw (latency, errors, call probabilities, fault percentages, pod names). Default 1. */
  seed?: number;
  /** Time of fault scheduling and the ground-truth log. Default: the system clock. */
  clock?: Clock;
  /** Faults planned relative to the moment the mesh has started. */
  scenario?: Scenario;
  /** JSON-lines file recording when each fault really started and ended (truncated at start). */
  groundTruthPath?: string;
  /** Port of the /metrics server on 127.0.0.1. Default 0 (a free port). */
  metricsPort?: number;
  /** Port of the fault control API on 127.0.0.1. Default 0 (a free port). */
  controlPort?: number;
  /**
   * Host the /metrics and control servers bind to. Default 127.0.0.1; in a container, 0.0.0.0
   * lets a Prometheus in another container scrape it. The services themselves stay on 127.0.0.1.
   */
  exposeHost?: string;
  /** How long a service waits for a downstream answer before failing the call (504). Default 3000 ms. */
  callTimeoutMs?: number;
  /** How long send() waits for the entry service. Default 2 × callTimeoutMs. */
  requestTimeoutMs?: number;
  /**
   * Scrape size for large meshes. "full" (default): every Istio label and the Istio size
   * histograms. "lean": Istio's commonly used labels only (ISTIO_LEAN_LABELS) and no
   * istio_request_bytes / istio_response_bytes. A 1,000-service mesh needs "lean" and a scrape
   * interval of several seconds.
   */
  telemetryDetail?: 'full' | 'lean';
  /** Service-graph `source` label: "obi" (default) or "beyla". */
  obiSource?: string;
  /** Registry to register into. Default: a new one (never the global registry). */
  registry?: Registry;
}

export interface ServiceAddress {
  url: string;
  port: number;
}

export interface SendResult {
  status: number;
  durationMs: number;
  /** Response body bytes. */
  bytes: number;
  /** Envoy-style flags of the load generator's side, "-" when none. */
  flags: string;
}

export interface RunningMesh {
  readonly topology: Topology;
  /** Every service's server, by service name. */
  readonly services: ReadonlyMap<string, ServiceAddress>;
  /** URL of the Prometheus exposition, e.g. http://127.0.0.1:9464/metrics */
  readonly metricsUrl: string;
  /** Base URL of the fault control API, e.g. http://127.0.0.1:9465 */
  readonly controlUrl: string;
  readonly registry: Registry;
  readonly faults: FaultController;
  readonly groundTruth: GroundTruthLog;
  /**
   * One request from the load generator to an entrypoint (or any service endpoint). Never
   * rejects: failures come back as 503/504 with flags. Aborting `signal` abandons the request.
   */
  send(entry: { service: string; endpoint: string }, signal?: AbortSignal): Promise<SendResult>;
  /** Ends active faults (logging their end), closes every server, socket and timer. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts every service of the topology as an HTTP server on 127.0.0.1, the /metrics server, and
 * the fault control API; schedules the scenario's faults. All services share this process, but
 * each call between them crosses a real socket.
 *
 *   const mesh = await startMesh({ topology: loadTopology('topologies/online-boutique.yaml'),
 *                                  telemetry: ['istio', 'obi'], seed: 42, groundTruthPath: 'gt.jsonl' });
 *   try {
 *     await mesh.send({ service: 'frontend', endpoint: 'viewCart' });   // { status, durationMs, ... }
 *     mesh.faults.schedule([{ id: 'd', type: 'delay', edge: { client: 'frontend', server: 'shippingservice' },
 *                             delayMs: 200, percentage: 100, startSeconds: 0, durationSeconds: 60 }]);
 *     // scrape mesh.metricsUrl; or POST faults to `${mesh.controlUrl}/faults`
 *   } finally {
 *     await mesh.stop();
 *   }
 *
 * Startup failures (a port in use) stop whatever had started and reject.
 */
export async function startMesh(options: MeshOptions): Promise<RunningMesh> {
  const { topology } = options;
  const seed = options.seed ?? 1;
  const clock = options.clock ?? systemClock;
  const callTimeoutMs = options.callTimeoutMs ?? 3000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 2 * callTimeoutMs;
  const families = new Set(options.telemetry ?? TELEMETRY_FAMILIES);
  const registry = options.registry ?? new Registry();
  const random = createRandom(seed);
  const lifecycle = new Lifecycle();

  const directory = new WorkloadDirectory(topology, seed, [LOAD_GENERATOR_WORKLOAD]);
  const sinks: TelemetrySink[] = [];
  if (families.has('istio')) {
    const lean = options.telemetryDetail === 'lean';
    sinks.push(createIstioSink(registry, directory, { byteHistograms: !lean, labelSet: lean ? 'lean' : 'full' }));
  }
  if (families.has('obi')) {
    sinks.push(
      createObiSink(registry, directory, options.obiSource !== undefined ? { source: options.obiSource } : {})
    );
  }
  const telemetry = combineSinks(sinks);

  const meters = new Map<string, ResourceMeter>();
  for (const spec of topology.services.values()) {
    meters.set(spec.name, new ResourceMeter(spec.memoryBytes));
  }
  if (families.has('cadvisor')) {
    registerCadvisorMetrics(registry, directory, meters);
  }
  if (families.has('kube-state-metrics')) {
    registerKubeStateMetrics(registry, directory, topology);
  }

  const groundTruth = new GroundTruthLog(options.groundTruthPath);
  const nodes = new Map<string, ServiceNode>();
  const faults = new FaultController(clock, groundTruth, {
    activate: (f) => actuator.activate(f),
    deactivate: (f) => actuator.deactivate(f),
  });
  const actuator = createFaultActuator(nodes, faults.active);
  const outbound = new Outbound({
    portOf: (service) => nodes.get(service)?.port,
    faults: faults.active,
    telemetry,
    meters,
    random: random.fork('edge-faults'),
    lifecycle,
  });
  for (const spec of topology.services.values()) {
    nodes.set(
      spec.name,
      new ServiceNode({
        spec,
        random: random.fork(`service:${spec.name}`),
        faults: faults.active,
        outbound,
        telemetry,
        meter: meters.get(spec.name)!,
        lifecycle,
        callTimeoutMs,
      })
    );
  }

  let metricsServer: MetricsServer | undefined;
  let controlServer: ControlServer | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    // Every step runs even if an earlier one fails (e.g. the ground-truth file was deleted), so a
    // failed stop never leaves ports and timers behind; the first error is reported afterwards.
    stopping ??= (async () => {
      const errors: unknown[] = [];
      const step = async (action: () => unknown): Promise<void> => {
        try {
          await action();
        } catch (err) {
          errors.push(err);
        }
      };
      await step(() => lifecycle.close());
      await step(() => faults.stop());
      await step(() => Promise.all([...nodes.values()].map((n) => n.close())));
      await step(() => outbound.close());
      await step(() => Promise.all([metricsServer?.close(), controlServer?.close()]));
      if (errors.length > 0) {
        throw errors[0];
      }
    })();
    return stopping;
  };

  try {
    await Promise.all([...nodes.values()].map((n) => n.listen(0)));
    metricsServer = await startMetricsServer(registry, options.metricsPort ?? 0, options.exposeHost);
    controlServer = await startControlServer(faults, topology, options.controlPort ?? 0, options.exposeHost);
    if (options.scenario) {
      faults.schedule(options.scenario.faults);
    }
  } catch (err) {
    await stop();
    throw err;
  }

  const services = new Map<string, ServiceAddress>([...nodes].map(([name, n]) => [name, { url: n.url, port: n.port }]));
  return {
    topology,
    services,
    metricsUrl: metricsServer.url,
    controlUrl: controlServer.url,
    registry,
    faults,
    groundTruth,
    async send(entry, signal) {
      const outcome = await outbound.call(
        LOAD_GENERATOR_WORKLOAD,
        entry.service,
        entry.endpoint,
        requestTimeoutMs,
        signal
      );
      return { status: outcome.status, durationMs: outcome.durationMs, bytes: outcome.bytes, flags: outcome.flags };
    },
    stop,
  };
}
