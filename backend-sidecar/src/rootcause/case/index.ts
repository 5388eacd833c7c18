/** The generic root-cause case format: parsing, writing and ranking one case (no file access). */
export { ROOT_CAUSE_CASE_FORMAT } from './types.js';
export type {
  CaseLabel,
  CaseMeta,
  CasePeriod,
  EdgeTable,
  RootCauseCase,
  SignalDeclaration,
  SignalTable,
} from './types.js';
export { CaseFormatError } from './CaseFormatError.js';
export { parseCsv } from './parseCsv.js';
export { parseCaseMeta } from './parseCaseMeta.js';
export { parseSignalTable } from './parseSignalTable.js';
export { formatSignalTable } from './formatSignalTable.js';
export { parseEdgeTables } from './parseEdgeTables.js';
export { formatEdgeTables } from './formatEdgeTables.js';
export { parseCallGraph } from './parseCallGraph.js';
export { formatCallGraph } from './formatCallGraph.js';
export { caseFileName } from './caseFileName.js';
export { rankRootCauseCase, DEFAULT_CASE_LEVEL } from './rankRootCauseCase.js';
export type { CaseRanking, CaseRankingOptions } from './rankRootCauseCase.js';
