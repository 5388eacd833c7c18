import { CANONICAL_SIGNALS, type SignalScope, type SignalSpec } from './canonicalSignals.js';
import { SignalInputError } from './SignalInputError.js';

/**
 * Looks up a canonical signal by scope and name, failing loudly on anything else: a typo in an
 * adapter preset or manifest must not quietly produce a window with an unknown column.
 */
export function requireSignal(scope: SignalScope, name: string, field = 'signal'): SignalSpec {
  const table: Readonly<Record<string, SignalSpec>> = CANONICAL_SIGNALS[scope];
  if (table === undefined) {
    throw new SignalInputError('scope', `unknown signal scope "${String(scope)}" (expected "service" or "edge")`);
  }
  if (!Object.prototype.hasOwnProperty.call(table, name)) {
    const known = Object.keys(table).join(', ');
    throw new SignalInputError(field, `unknown ${scope} signal "${name}" (known: ${known})`);
  }
  return table[name] as SignalSpec;
}
