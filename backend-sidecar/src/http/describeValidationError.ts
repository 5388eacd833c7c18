import type { FastifySchemaValidationError } from 'fastify';

/** "/a/0/b" to "a[0].b". */
function dotted(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part.replace(/~1/g, '/').replace(/~0/g, '~')}`))
    .join('');
}

/**
 * One line naming the field, e.g. "querystring.step: must be >= 1" or "body.name: is required",
 * from the first schema violation (Ajv stops at the first unless allErrors is set).
 */
export function describeValidationError(
  context: string | undefined,
  errors: readonly FastifySchemaValidationError[]
): string {
  const first = errors[0];
  const where = context ?? 'request';
  if (first === undefined) {
    return `${where}: invalid`;
  }
  const params = first.params as Record<string, unknown>;
  const base = `${where}${dotted(first.instancePath)}`;
  if (first.keyword === 'required' && typeof params.missingProperty === 'string') {
    return `${base}.${params.missingProperty}: is required`;
  }
  if (first.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    return `${base}.${params.additionalProperty}: is not a known ${where === 'body' ? 'field' : 'parameter'}`;
  }
  if (first.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return `${base}: must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${base}: ${first.message ?? 'is invalid'}`;
}
