/**
 * One evaluation suite: runs the product's own detection code on a labelled data set in the
 * layout of the shared benchmarks folder and returns the summary the CLI prints as its last line.
 */
export interface EvalOptions {
  /** Root of the data in the suite's layout (default: the shared benchmarks folder). */
  dataDir: string;
  /** Per-entity progress and results, one line each. */
  log: (line: string) => void;
}

export interface EvalSuite {
  name: string;
  /** Sub-folder of the benchmarks root the suite reads by default. */
  defaultDataSubdir: string;
  run(options: EvalOptions): Promise<Record<string, unknown>>;
}
