/** One answer of the sidecar's HTTP API as recorded: its status and JSON body. */
export interface RecordedAnswer {
  status: number;
  body: unknown;
}

/** A write the recording made, what the sidecar answered, and the state the sidecar was in after it. */
export interface RecordedWrite {
  method: 'PUT' | 'POST';
  /** Below the sidecar's root, e.g. `/api/v1/selection`. */
  path: string;
  body: unknown;
  answer: RecordedAnswer;
  then: string;
}

/**
 * The sidecar's answers to the app pages (tests/browser/fixtures/recordAppAnswers.ts writes it).
 * Reads are keyed `GET <path>?<query>` with the query parameters sorted by name; a state holds the
 * reads whose answer changed since the state it inherits from.
 */
export interface Recording {
  description: string;
  /** Unix seconds: the moment the pages are shown (the browser's clock is set to it). */
  recordedAt: number;
  openIncident: string;
  states: Record<string, { inherits?: string; answers: Record<string, RecordedAnswer> }>;
  writes: RecordedWrite[];
}

/** `GET /api/v1/incidents?state=all&from=now-24h` → `GET /api/v1/incidents?from=now-24h&state=all`. */
export function readKey(pathWithQuery: string): string {
  const url = new URL(pathWithQuery, 'http://sidecar');
  const query = [...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const search = new URLSearchParams(query).toString();
  return `GET ${url.pathname}${search ? `?${search}` : ''}`;
}
