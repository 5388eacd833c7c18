import http from 'node:http';
import { closeServer, listenLocal, urlHost } from '../mesh/httpServers.js';
import type { Topology } from '../topology/types.js';
import { FaultConflictError } from './FaultConflictError.js';
import type { FaultController } from './FaultController.js';
import { parseFaultRequest } from './loadScenario.js';
import { ScenarioError } from './ScenarioError.js';

export interface ControlServer {
  /** Base URL, e.g. http://127.0.0.1:9465 */
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * The fault control API on 127.0.0.1:
 *
 *   GET    /healthz       200 {"status":"ok"}
 *   GET    /faults        200 {"faults":[FaultStatus...]}   every fault of the run and its state
 *   GET    /faults/:id    200 FaultStatus | 404
 *   POST   /faults        201 {"faults":[FaultStatus...]}   body: one fault, a list, or {"faults":[...]}
 *                         (same fields as a scenario file; startSeconds counts from now)
 *   DELETE /faults/:id    200 FaultStatus (ended or cancelled) | 404
 *
 * Bad input gets a 4xx with {"error": "..."} saying what is wrong and where in the body.
 */
export async function startControlServer(
  controller: FaultController,
  topology: Topology,
  port = 0,
  host = '127.0.0.1'
): Promise<ControlServer> {
  const server = http.createServer((req, res) => {
    route(req, controller, topology).then(
      ({ status, body }) => send(res, status, body),
      (err: Error) => send(res, 500, { error: `internal error: ${err.message}` })
    );
  });
  const bound = await listenLocal(server, port, host);
  return { url: `http://${urlHost(host)}:${bound}`, port: bound, close: () => closeServer(server) };
}

interface Reply {
  status: number;
  body: unknown;
}

async function route(req: http.IncomingMessage, controller: FaultController, topology: Topology): Promise<Reply> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const method = req.method ?? 'GET';
  if (path === '/healthz') {
    return method === 'GET' ? { status: 200, body: { status: 'ok' } } : notAllowed(method, path, 'GET');
  }
  if (path === '/faults' || path === '/faults/') {
    if (method === 'GET') {
      return { status: 200, body: { faults: controller.list() } };
    }
    if (method === 'POST') {
      return createFaults(req, controller, topology);
    }
    return notAllowed(method, path, 'GET, POST');
  }
  const match = /^\/faults\/([^/]+)$/.exec(path);
  if (match) {
    const id = decodeURIComponent(match[1]!);
    if (method === 'GET' || method === 'DELETE') {
      const status = method === 'GET' ? controller.get(id) : controller.remove(id);
      return status
        ? { status: 200, body: status }
        : { status: 404, body: { error: `no fault with id "${id}" (GET /faults lists them)` } };
    }
    return notAllowed(method, path, 'GET, DELETE');
  }
  return {
    status: 404,
    body: {
      error: `no such endpoint ${method} ${path}; see GET /faults, POST /faults, DELETE /faults/:id, GET /healthz`,
    },
  };
}

async function createFaults(
  req: http.IncomingMessage,
  controller: FaultController,
  topology: Topology
): Promise<Reply> {
  const body = await readBody(req);
  if (body === undefined) {
    return { status: 413, body: { error: `request body is larger than ${MAX_BODY_BYTES} bytes` } };
  }
  try {
    const faults = parseFaultRequest(body, topology);
    return { status: 201, body: { faults: controller.schedule(faults) } };
  } catch (err) {
    if (err instanceof ScenarioError) {
      return { status: 400, body: { error: err.message } };
    }
    if (err instanceof FaultConflictError) {
      return { status: 409, body: { error: err.message } };
    }
    throw err;
  }
}

function notAllowed(method: string, path: string, allowed: string): Reply {
  return { status: 405, body: { error: `${method} is not supported on ${path}; use ${allowed}` } };
}

/** The body as text, or undefined when it exceeds the limit. */
function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooBig = true;
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve(tooBig ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
