/** One Go test's outcome from `go tool test2json` events. */
export interface GoTestOutcome {
  /** Full name, e.g. TestAgainstRealStack/forecast. */
  readonly test: string;
  readonly action: 'pass' | 'fail' | 'skip';
  /** Everything the test printed, failure messages included. */
  readonly output: string;
}

interface Event {
  Action?: string;
  Test?: string;
  Output?: string;
}

/**
 * Reads test2json's JSON lines into one outcome per test, in the order the tests finished. Lines
 * that are not events (a build error printed before the run) are ignored here; the caller sees
 * them in the process output.
 */
export function readGoTestEvents(jsonLines: string): GoTestOutcome[] {
  const output = new Map<string, string>();
  const outcomes: GoTestOutcome[] = [];
  for (const line of jsonLines.split('\n')) {
    let event: Event;
    try {
      event = JSON.parse(line) as Event;
    } catch {
      continue;
    }
    if (event.Test === undefined) {
      continue;
    }
    if (event.Action === 'output') {
      output.set(event.Test, (output.get(event.Test) ?? '') + (event.Output ?? ''));
    } else if (event.Action === 'pass' || event.Action === 'fail' || event.Action === 'skip') {
      outcomes.push({ test: event.Test, action: event.Action, output: output.get(event.Test) ?? '' });
    }
  }
  return outcomes;
}
