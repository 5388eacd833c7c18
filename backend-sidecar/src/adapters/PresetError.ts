/** One problem found in a preset file. */
export interface PresetIssue {
  readonly file: string;
  /** 1-based; 0 when the problem has no single place (e.g. a missing file). */
  readonly line: number;
  readonly column: number;
  /** Dotted path of the offending value, e.g. "signals.service.request_rate.query". */
  readonly path: string;
  readonly message: string;
}

/**
 * A preset that cannot be used. Every problem found is listed (not only the first) as
 * "file:line:column: path: problem", so one run of the validator is enough to fix a file.
 */
export class PresetError extends Error {
  readonly issues: readonly PresetIssue[];

  constructor(issues: readonly PresetIssue[]) {
    // In file order, so the list reads top to bottom like the file (sort is stable for ties).
    const sorted = [...issues].sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : 0));
    super(sorted.map(formatIssue).join('\n'));
    this.name = 'PresetError';
    this.issues = sorted;
  }
}

function formatIssue(issue: PresetIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  return `${where}: ${issue.path === '' ? '' : `${issue.path}: `}${issue.message}`;
}
