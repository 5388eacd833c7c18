import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isDeepStrictEqual } from 'node:util';

import { readKey, type RecordedAnswer, type Recording } from './recording.js';

export interface RecordedSidecar {
  url: string;
  /** Every request: method, path with query, the Authorization header and the parsed JSON body. */
  requests: Array<{ method: string; path: string; authorization: string | undefined; body?: unknown }>;
  /** The recording state the answers come from (changes with the recorded writes). */
  readonly state: string;
  /** Back to the initial state, with the request log emptied. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A stand-in for the sidecar's HTTP API that answers with what the real sidecar answered when
 * the recording was made (tests/browser/fixtures/recordAppAnswers.ts). A write the recording
 * holds (same method, path and body) gets the recorded answer and moves the stand-in to the state
 * the sidecar was in after it; any other request is refused with the sidecar's error shape, naming
 * what the recording lacks. Like the sidecar, /api/v1 needs the bearer token and /healthz does not.
 */
export async function startRecordedSidecar(recording: Recording, token: string): Promise<RecordedSidecar> {
  let state = 'initial';
  const requests: RecordedSidecar['requests'] = [];
  const send = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  const refuse = (response: ServerResponse, status: number, code: string, message: string) =>
    send(response, status, { error: { code, message } });

  const lookup = (key: string): RecordedAnswer | undefined => {
    for (let name: string | undefined = state; name !== undefined; name = recording.states[name]?.inherits) {
      const found = recording.states[name]?.answers[key];
      if (found) {
        return found;
      }
    }
    return undefined;
  };

  const readBody = async (request: IncomingMessage): Promise<unknown> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) {
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    return text === '' ? undefined : JSON.parse(text);
  };

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://sidecar');
    const method = request.method ?? 'GET';
    let body: unknown;
    try {
      body = method === 'GET' ? undefined : await readBody(request);
    } catch {
      refuse(response, 400, 'bad_request', 'body: not JSON');
      return;
    }
    requests.push({
      method,
      path: url.pathname + url.search,
      authorization: request.headers.authorization,
      ...(body === undefined ? {} : { body }),
    });
    if (url.pathname.startsWith('/api/') && request.headers.authorization !== `Bearer ${token}`) {
      refuse(response, 401, 'unauthorized', 'wrong bearer token: send the token configured on the sidecar');
      return;
    }
    if (method === 'GET') {
      const key = readKey(url.pathname + url.search);
      const answer = lookup(key);
      if (answer) {
        send(response, answer.status, answer.body);
      } else {
        refuse(response, 404, 'not_found', `the recording holds no answer to ${key} in state ${state}`);
      }
      return;
    }
    const write = recording.writes.find(
      (w) => w.method === method && w.path === url.pathname && isDeepStrictEqual(w.body, body)
    );
    if (!write) {
      refuse(
        response,
        400,
        'bad_request',
        `the recording holds no answer to ${method} ${url.pathname} with body ${JSON.stringify(body)}`
      );
      return;
    }
    state = write.then;
    send(response, write.answer.status, write.answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') {
    throw new Error('the recorded sidecar has no TCP address');
  }
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    get state() {
      return state;
    },
    reset() {
      state = 'initial';
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
