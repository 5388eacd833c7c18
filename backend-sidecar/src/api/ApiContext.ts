import type { DetectionService } from '../detection/DetectionService.js';
import type { BuildInfo } from '../metrics/createSidecarMetrics.js';
import type { QueryGate } from './QueryGate.js';

/** What the API's route plugins share: the running service, the build and the read gate. */
export interface ApiContext {
  readonly service: DetectionService;
  readonly build: BuildInfo;
  readonly gate: QueryGate;
  /** Unix seconds. */
  readonly now: () => number;
}
