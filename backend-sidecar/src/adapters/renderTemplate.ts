import { formatDuration } from './formatDuration.js';
import type { PresetSignal } from './types.js';

export interface RenderOptions {
  /** Rate window in seconds, substituted for ${window}. */
  readonly windowSeconds: number;
  /** Namespaces to keep; empty or undefined keeps all. */
  readonly namespaces?: readonly string[];
}

/** A signal's (or an identity's) PromQL with its placeholders filled in. */
export function renderTemplate(signal: Pick<PresetSignal, 'query' | 'namespaceLabel'>, options: RenderOptions): string {
  const window = formatDuration(options.windowSeconds);
  const namespaces = options.namespaces ?? [];
  const selector =
    namespaces.length > 0 && signal.namespaceLabel !== undefined
      ? `${signal.namespaceLabel}=~${quote(namespaces.map(escapeRegex).join('|'))}`
      : '';
  return signal.query.replaceAll('${window}', window).replaceAll('${selector}', selector);
}

/** Escapes RE2 metacharacters so a namespace is matched literally. */
function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** A PromQL double-quoted string literal. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
