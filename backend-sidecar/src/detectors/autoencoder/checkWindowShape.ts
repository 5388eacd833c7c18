import type { SignalWindow } from '../../signals/index.js';
import { DetectorInputError } from './DetectorInputError.js';

/** Throws for windows that are malformed rather than merely incomplete (a caller bug). */
export function checkWindowShape(window: SignalWindow, field: string): void {
  if (window === null || typeof window !== 'object') {
    throw new DetectorInputError(field, 'must be a signal window');
  }
  const steps = window.timestamps?.length ?? 0;
  if (steps === 0) {
    throw new DetectorInputError(field, 'window has no steps (empty series)');
  }
  if (!Array.isArray(window.signals) || window.signals.length === 0) {
    throw new DetectorInputError(`${field}.signals`, 'must list at least one signal');
  }
  if (!Array.isArray(window.values) || window.values.length !== window.signals.length) {
    throw new DetectorInputError(
      `${field}.values`,
      `has ${Array.isArray(window.values) ? window.values.length : 0} rows for ${window.signals.length} signals`
    );
  }
  window.values.forEach((row, s) => {
    if (!Array.isArray(row) || row.length !== steps) {
      throw new DetectorInputError(
        `${field}.values[${s}]`,
        `has ${Array.isArray(row) ? row.length : 0} values for ${steps} timestamps`
      );
    }
  });
  if (!(typeof window.step === 'number' && window.step > 0)) {
    throw new DetectorInputError(`${field}.step`, `must be a number of seconds > 0 (got ${String(window.step)})`);
  }
}
