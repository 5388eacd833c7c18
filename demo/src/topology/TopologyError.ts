import { SourceLocationError } from './SourceLocationError.js';

/** A problem in a topology file; `message` is `file:line:column: problem`. */
export class TopologyError extends SourceLocationError {
  constructor(file: string, line: number, column: number, problem: string) {
    super(file, line, column, problem);
    this.name = 'TopologyError';
  }
}
