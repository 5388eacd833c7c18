import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ActiveFaults } from '../faults/ActiveFaults.js';
import type { Random } from '../random.js';
import type { TelemetrySink } from '../telemetry/TelemetrySink.js';
import { CALLER_HEADER } from './headers.js';
import type { Lifecycle } from './Lifecycle.js';
import type { ResourceMeter } from './ResourceMeter.js';

/** How one outgoing call ended, as the caller sees it. */
export interface CallOutcome {
  /** HTTP status; a transport failure reads as the status a sidecar would answer (503, 504). */
  status: number;
  /** Status below 400. */
  ok: boolean;
  durationMs: number;
  /** Response body bytes received. */
  bytes: number;
  /** Envoy-style response flags ("-" when none). */
  flags: string;
}

export interface OutboundOptions {
  /** Port of a service's server, undefined for an unknown service. */
  portOf(service: string): number | undefined;
  faults: ActiveFaults;
  telemetry: TelemetrySink;
  /** Meters of mesh services, charged for the bytes their calls move. */
  meters: ReadonlyMap<string, ResourceMeter>;
  /** Draws of fault percentages. */
  random: Random;
  lifecycle: Lifecycle;
}

type Transport = { status: number; bytes: number } | { failure: 'refused' | 'reset' | 'timeout' };

/**
 * The client side of every call in the mesh: what the caller's sidecar would do (apply the edge's
 * delay and abort faults, turn connection failures into 503/504 with response flags) followed by
 * a real HTTP request over a keep-alive connection pool of the calling workload. Each call is
 * reported to telemetry from the client's point of view.
 */
export class Outbound {
  private readonly agents = new Map<string, http.Agent>();

  constructor(private readonly options: OutboundOptions) {}

  /** One call from `client` to `server`'s endpoint; never rejects. `signal` abandons it (read as a reset). */
  async call(
    client: string,
    server: string,
    endpoint: string,
    timeoutMs: number,
    signal?: AbortSignal
  ): Promise<CallOutcome> {
    const o = this.options;
    const started = performance.now();
    let delayMs = 0;
    let abortStatus: number | undefined;
    for (const fault of o.faults.onEdge(client, server)) {
      const hit = o.random.next() * 100 < fault.percentage;
      if (!hit) {
        continue;
      }
      if (fault.type === 'delay') {
        delayMs += fault.delayMs;
      } else if (abortStatus === undefined) {
        abortStatus = fault.httpStatus;
      }
    }
    const flags: string[] = [];
    if (delayMs > 0) {
      // Like Envoy's fault filter: the delay comes before the request leaves, outside its timeout.
      flags.push('DI');
      await o.lifecycle.sleep(delayMs);
    }
    const path = `/${endpoint}`;
    const port = o.portOf(server);
    const requestBytes = Buffer.byteLength(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port ?? 0}\r\n${CALLER_HEADER}: ${client}\r\nConnection: keep-alive\r\n\r\n`
    );
    let transport: Transport;
    if (abortStatus !== undefined) {
      flags.push('FI');
      transport = { status: abortStatus, bytes: 0 };
    } else if (port === undefined || o.lifecycle.closed) {
      transport = { failure: 'refused' };
    } else {
      transport = await this.request(client, port, path, timeoutMs, signal);
    }
    const { status, bytes } = 'failure' in transport ? failureStatus(transport.failure, flags) : transport;
    const durationMs = performance.now() - started;
    const sent = abortStatus === undefined ? requestBytes : 0;
    const meter = o.meters.get(client);
    if (meter) {
      meter.txBytes += sent;
      meter.rxBytes += bytes;
    }
    const responseFlags = flags.length > 0 ? flags.join(',') : '-';
    o.telemetry.clientCall({
      client,
      server,
      endpoint,
      method: 'GET',
      status,
      durationSeconds: durationMs / 1000,
      requestBytes: sent,
      responseBytes: bytes,
      responseFlags,
    });
    return { status, ok: status < 400, durationMs, bytes, flags: responseFlags };
  }

  /** Closes every pooled connection. */
  close(): void {
    for (const agent of this.agents.values()) {
      agent.destroy();
    }
    this.agents.clear();
  }

  private agentOf(client: string): http.Agent {
    let agent = this.agents.get(client);
    if (!agent) {
      // Idle pooled sockets are dropped well before the server's keep-alive timeout, so a request
      // never goes out on a socket the server is closing (which would read as a spurious reset).
      agent = new http.Agent({
        keepAlive: true,
        maxSockets: 256,
        maxFreeSockets: 32,
        timeout: 15_000,
        scheduling: 'lifo',
      });
      this.agents.set(client, agent);
    }
    return agent;
  }

  private request(
    client: string,
    port: number,
    path: string,
    timeoutMs: number,
    signal?: AbortSignal
  ): Promise<Transport> {
    return new Promise((resolve) => {
      let settled = false;
      let timedOut = false;
      const req = http.request({
        host: '127.0.0.1',
        port,
        path,
        method: 'GET',
        agent: this.agentOf(client),
        headers: { [CALLER_HEADER]: client },
      });
      const forget = this.options.lifecycle.track({ destroy: () => req.destroy(new Error('mesh stopped')) });
      const timer = setTimeout(() => {
        timedOut = true;
        req.destroy(new Error(`no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const onAbort = (): void => {
        req.destroy(new Error('abandoned by the caller'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const finish = (result: Transport): void => {
        if (!settled) {
          settled = true;
          clearTimeout(timer);
          forget();
          signal?.removeEventListener('abort', onAbort);
          resolve(result);
        }
      };
      const failure = (err?: NodeJS.ErrnoException): Transport => ({
        failure: timedOut ? 'timeout' : err?.code === 'ECONNREFUSED' ? 'refused' : 'reset',
      });
      req.on('response', (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => finish({ status: res.statusCode ?? 0, bytes }));
        res.on('error', (err) => finish(failure(err)));
        res.on('close', () => finish(failure()));
      });
      req.on('error', (err) => finish(failure(err)));
      if (signal?.aborted) {
        onAbort();
      }
      req.end();
    });
  }
}

/** What the caller's sidecar answers when the upstream could not be reached or did not answer. */
function failureStatus(failure: 'refused' | 'reset' | 'timeout', flags: string[]): { status: number; bytes: number } {
  switch (failure) {
    case 'refused':
      flags.push('UF');
      return { status: 503, bytes: 0 };
    case 'reset':
      flags.push('UC');
      return { status: 503, bytes: 0 };
    case 'timeout':
      flags.push('UT');
      return { status: 504, bytes: 0 };
  }
}
