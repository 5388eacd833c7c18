/**
 * An error in a hand-written source file (topology, scenario, request body), pinned to a place in
 * it so that the message reads like a compiler diagnostic: `file:line:column: problem`.
 */
export class SourceLocationError extends Error {
  constructor(
    /** Display name of the source: a path as the user gave it, or a label such as "request body". */
    readonly file: string,
    /** 1-based line; 0 when the problem concerns the whole file (e.g. it cannot be read). */
    readonly line: number,
    /** 1-based column; 0 when unknown. */
    readonly column: number,
    /** The problem and what to do about it, without the location prefix. */
    readonly problem: string
  ) {
    super(line > 0 ? `${file}:${line}:${column}: ${problem}` : `${file}: ${problem}`);
    this.name = 'SourceLocationError';
  }
}
