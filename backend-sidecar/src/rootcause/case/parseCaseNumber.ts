import { CaseFormatError } from './CaseFormatError.js';

/** Reads a value field: empty or "NaN" is unknown; anything else must be a finite number. */
export function parseCaseNumber(field: string, where: string): number {
  const text = field.trim();
  if (text === '' || text === 'NaN' || text === 'nan') {
    return Number.NaN;
  }
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new CaseFormatError(where, `"${field}" is not a number (leave the field empty for unknown)`);
  }
  return value;
}
