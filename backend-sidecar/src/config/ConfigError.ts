import type { ConfigIssue } from './types.js';

function formatIssue(issue: ConfigIssue): string {
  // A problem of the file as a whole (unreadable, not a mapping) has no key path to name.
  return issue.path === '' ? `${issue.source}: ${issue.message}` : `${issue.source}: ${issue.path}: ${issue.message}`;
}

/**
 * Every problem found in one validation pass, so a user fixes them all in one edit instead of
 * one per restart. The message is one line per issue, in file order.
 */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }

  /** The issues as printable lines, e.g. "config.yaml:12:5: detection.intervalSeconds: must be ...". */
  lines(): string[] {
    return this.issues.map(formatIssue);
  }
}
