import type { IncomingMessage } from 'node:http';

/** A request body the server refuses, with the HTTP status to answer. */
export class RequestBodyError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 413
  ) {
    super(message);
    this.name = 'RequestBodyError';
  }
}

/** Reads a request body that must be one JSON object of at most `maxBytes`. */
export async function readJsonObject(request: IncomingMessage, maxBytes: number): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      throw new RequestBodyError(`the request body is larger than ${Math.round(maxBytes / 1024)} KiB`, 413);
    }
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    body = undefined;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RequestBodyError('the request body must be a JSON object', 400);
  }
  return body as Record<string, unknown>;
}
