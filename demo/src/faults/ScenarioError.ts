import { SourceLocationError } from '../topology/SourceLocationError.js';

/** A problem in a scenario file or in a fault posted to the control API; `message` is `file:line:column: problem`. */
export class ScenarioError extends SourceLocationError {
  constructor(file: string, line: number, column: number, problem: string) {
    super(file, line, column, problem);
    this.name = 'ScenarioError';
  }
}
