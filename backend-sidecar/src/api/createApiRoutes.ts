import type { ApiRoutes } from '../app.js';
import type { ApiContext } from './ApiContext.js';
import { edgeRoutes } from './edgeRoutes.js';
import { feedbackRoutes } from './feedbackRoutes.js';
import { forecastRoutes } from './forecastRoutes.js';
import { incidentRoutes } from './incidentRoutes.js';
import { modelRoutes } from './modelRoutes.js';
import { selectionRoutes } from './selectionRoutes.js';
import { serviceRoutes } from './serviceRoutes.js';
import { signalRoutes } from './signalRoutes.js';
import { statusRoutes } from './statusRoutes.js';
import { topologyRoutes } from './topologyRoutes.js';
import { windowRoutes } from './windowRoutes.js';

/** Every route of HTTP API v1 (openapi.yaml) except /config, which the app shell serves. */
export function createApiRoutes(ctx: ApiContext): ApiRoutes[] {
  return [
    statusRoutes(ctx),
    serviceRoutes(ctx),
    edgeRoutes(ctx),
    topologyRoutes(ctx),
    forecastRoutes(ctx),
    incidentRoutes(ctx),
    modelRoutes(ctx),
    windowRoutes(ctx),
    signalRoutes(ctx),
    feedbackRoutes(ctx),
    selectionRoutes(ctx),
  ];
}
