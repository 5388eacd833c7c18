import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ActiveFaults } from '../faults/ActiveFaults.js';
import type { Random } from '../random.js';
import type { TelemetrySink } from '../telemetry/TelemetrySink.js';
import type { EndpointSpec, ServiceSpec } from '../topology/types.js';
import { burnCpu } from './burnCpu.js';
import { CALLER_HEADER, SERVICE_HEADER } from './headers.js';
import type { Lifecycle } from './Lifecycle.js';
import type { Outbound } from './Outbound.js';
import type { ResourceMeter } from './ResourceMeter.js';

export interface ServiceNodeOptions {
  spec: ServiceSpec;
  /** This service's own stream: latency samples, error draws, call probabilities. */
  random: Random;
  faults: ActiveFaults;
  outbound: Outbound;
  telemetry: TelemetrySink;
  meter: ResourceMeter;
  lifecycle: Lifecycle;
  callTimeoutMs: number;
}

/** Period of the CPU hog: short slices keep the stalls it causes to other services short. */
const HOG_PERIOD_MS = 20;
const LEAK_PERIOD_MS = 100;

/**
 * One service of the mesh: a real HTTP server on 127.0.0.1 answering `GET /<endpoint>`.
 *
 * A request costs the service its own latency (log-normal sample), real CPU (busy loop, measured
 * and charged to its meter), then its endpoint's downstream calls in order or in parallel, each
 * made with its probability. It answers 500 when its own error draw says so or when a required
 * call failed, else 200 with `payloadBytes` of body. Faults in effect change this: a slow fault
 * delays every response, a cpu fault adds CPU, a dead service holds requests or closes its port.
 */
export class ServiceNode {
  readonly name: string;
  private readonly server: http.Server;
  private readonly body: Buffer;
  private readonly held = new Set<http.ServerResponse>();
  private boundPort = 0;
  private open = false;
  private stopHog: (() => void) | undefined;
  private stopLeak: (() => void) | undefined;

  constructor(private readonly o: ServiceNodeOptions) {
    this.name = o.spec.name;
    this.body = Buffer.alloc(o.spec.payloadBytes, 0x78);
    this.server = http.createServer({ noDelay: true, keepAliveTimeout: 30_000 }, (req, res) => this.handle(req, res));
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  /** Listens on 127.0.0.1 at `port` (0: any free port; later calls reuse the first port). */
  listen(port = this.boundPort): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', onError);
        const address = this.server.address();
        this.boundPort = typeof address === 'object' && address ? address.port : port;
        this.open = true;
        resolve();
      });
    });
  }

  /** Dead (refuse): closes the port and every connection, so callers get connection refused. */
  refuse(): void {
    if (this.open) {
      this.open = false;
      this.server.close();
      this.server.closeAllConnections();
    }
    this.releaseHeld();
  }

  /** Ends a refuse: listens again on the same port, retrying while something else holds it. */
  reopen(): void {
    if (this.open || this.o.lifecycle.closed) {
      return;
    }
    this.listen().catch(() => {
      void this.o.lifecycle.sleep(250).then(() => this.reopen());
    });
  }

  /** Ends a hang: drops the requests held so far (their callers have long timed out or will see a reset). */
  releaseHeld(): void {
    for (const res of this.held) {
      res.destroy();
    }
    this.held.clear();
  }

  /** CPU contention: burns `cores` of a core in the background, charged to this service. */
  startHog(cores: number): void {
    this.stopHog?.();
    const sliceMs = cores * HOG_PERIOD_MS;
    this.stopHog = this.o.lifecycle.every(HOG_PERIOD_MS, () =>
      this.o.meter.addCpuMicros(burnCpu(sliceMs, sliceMs * 2))
    );
  }

  endHog(): void {
    this.stopHog?.();
    this.stopHog = undefined;
  }

  /** Memory leak: retains `bytesPerSecond` in small steps, up to `maxBytes` leaked. */
  startLeak(bytesPerSecond: number, maxBytes: number): void {
    this.stopLeak?.();
    const step = Math.max(1, Math.round((bytesPerSecond * LEAK_PERIOD_MS) / 1000));
    this.stopLeak = this.o.lifecycle.every(LEAK_PERIOD_MS, () => this.o.meter.retain(step, maxBytes));
  }

  /** Ends a leak and frees what leaked, as restarting the pod would. */
  endLeak(): void {
    this.stopLeak?.();
    this.stopLeak = undefined;
    this.o.meter.releaseLeak();
  }

  close(): Promise<void> {
    this.endHog();
    this.stopLeak?.();
    this.releaseHeld();
    if (!this.open) {
      return Promise.resolve();
    }
    this.open = false;
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const { faults, meter, telemetry, spec } = this.o;
    const dead = faults.deadMode(this.name);
    if (dead === 'hang') {
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    if (dead === 'refuse') {
      req.socket.destroy();
      return;
    }
    const started = performance.now();
    const callerHeader = req.headers[CALLER_HEADER];
    const client = typeof callerHeader === 'string' && callerHeader.length > 0 ? callerHeader : 'unknown';
    const name = endpointName(req.url);
    const endpoint = req.method === 'GET' ? spec.endpoints.get(name) : undefined;
    const requestBytes = requestSize(req);
    meter.rxBytes += requestBytes;
    res.on('close', () => {
      const responseBytes = Number(res.getHeader('content-length') ?? 0);
      meter.txBytes += res.writableFinished ? responseBytes : 0;
      telemetry.serverCall({
        client,
        server: this.name,
        endpoint: endpoint ? endpoint.name : 'unknown',
        method: req.method ?? 'GET',
        status: res.statusCode,
        durationSeconds: (performance.now() - started) / 1000,
        requestBytes,
        responseBytes,
        responseFlags: res.writableFinished ? '-' : 'DC',
      });
    });
    if (!endpoint) {
      const known = [...spec.endpoints.keys()].join(', ');
      this.reply(res, req.method === 'GET' ? 404 : 405, `${this.name} serves GET /<endpoint> for: ${known}`);
      return;
    }
    this.serve(endpoint, res).catch((err: Error) => this.reply(res, 500, `${this.name}: ${err.message}`));
  }

  private async serve(endpoint: EndpointSpec, res: http.ServerResponse): Promise<void> {
    const { spec, random, faults, meter, lifecycle } = this.o;
    const ownError = random.next() < spec.errorRate;
    const latencyMs = random.logNormal(spec.latency.medianMs, spec.latency.p99Ms);
    const workStart = performance.now();
    meter.addCpuMicros(burnCpu(spec.cpuMsPerRequest + faults.extraCpuMs(this.name)));
    // The CPU burn is part of the service's own time, not added to it.
    await lifecycle.sleep(latencyMs - (performance.now() - workStart));
    const failed = ownError ? undefined : await this.callDownstream(endpoint);
    const slowMs = faults.slowMs(this.name);
    if (slowMs > 0) {
      await lifecycle.sleep(slowMs);
    }
    if (ownError) {
      this.reply(res, 500, `${this.name} failed on its own (errorRate ${spec.errorRate})`);
    } else if (failed) {
      this.reply(res, 500, `${this.name}: required call to ${failed} failed`);
    } else {
      this.reply(res, 200, this.body);
    }
  }

  /** Makes the endpoint's calls; returns the first failed required call as "service/endpoint (status)". */
  private async callDownstream(endpoint: EndpointSpec): Promise<string | undefined> {
    const { random, outbound, callTimeoutMs } = this.o;
    // Draw every call's coin first, so the stream of draws does not depend on call timing.
    const made = endpoint.calls.filter((c) => c.probability >= 1 || random.next() < c.probability);
    const one = async (c: (typeof made)[number]): Promise<string | undefined> => {
      const outcome = await outbound.call(this.name, c.service, c.endpoint, callTimeoutMs);
      return !outcome.ok && c.required !== false ? `${c.service}/${c.endpoint} (${outcome.status})` : undefined;
    };
    if (endpoint.parallel) {
      const results = await Promise.all(made.map(one));
      return results.find((r) => r !== undefined);
    }
    // Like the upstream handlers, a sequential endpoint gives up at the first failed required call.
    for (const c of made) {
      const failure = await one(c);
      if (failure) {
        return failure;
      }
    }
    return undefined;
  }

  private reply(res: http.ServerResponse, status: number, body: Buffer | string): void {
    if (res.headersSent || res.destroyed) {
      return;
    }
    const payload = typeof body === 'string' ? Buffer.from(JSON.stringify({ error: body })) : body;
    // setHeader rather than writeHead's header argument, so the length stays readable for telemetry.
    res.setHeader('content-type', typeof body === 'string' ? 'application/json' : 'application/octet-stream');
    res.setHeader('content-length', payload.length);
    res.setHeader(SERVICE_HEADER, this.name);
    res.writeHead(status);
    res.end(payload);
  }
}

/** Bytes of the request line and headers as received (GET requests carry no body). */
function requestSize(req: http.IncomingMessage): number {
  let n = Buffer.byteLength(`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}\r\n`) + 2;
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    n += raw[i]!.length + raw[i + 1]!.length + 4;
  }
  return n;
}

/** The endpoint a request path names; a malformed escape reads as no endpoint (404), not a crash. */
function endpointName(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0]!.slice(1);
  try {
    return decodeURIComponent(path);
  } catch {
    return '';
  }
}
