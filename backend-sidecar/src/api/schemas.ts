/** JSON-schema pieces the routes share (Fastify validates every query string, path and body). */
export const NAME = { type: 'string', minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001f]+$' } as const;
export const TIME = { type: 'string', minLength: 1, maxLength: 64 } as const;
export const STEP = { type: 'string', minLength: 1, maxLength: 32 } as const;
export const SIGNAL = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' } as const;
/** Incident ids: the engine's prefix and a unix second; no path separators. */
export const INCIDENT_ID = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$',
} as const;
export const FORMAT = { type: 'string', enum: ['json', 'frames'] } as const;
export const SCOPE = { type: 'string', enum: ['service', 'edge'] } as const;

export function querystring(properties: Record<string, unknown>, required: string[] = []) {
  return { type: 'object', properties, required, additionalProperties: false } as const;
}
