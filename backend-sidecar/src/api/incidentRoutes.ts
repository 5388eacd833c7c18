import type { FastifyPluginAsync } from 'fastify';

import type { ApiRouteOptions } from '../app.js';
import { ApiError } from '../http/ApiError.js';
import type { IncidentHistoryRecord, StoredRanking } from '../storage/IncidentHistory.js';
import type { ApiContext } from './ApiContext.js';
import { buildEvaluationFrame, buildIncidentListFrame, buildToleratedFrame } from './frames/buildIncidentFrames.js';
import { buildRootCauseFrame } from './frames/buildRootCauseFrame.js';
import { parseTimeParam } from './parseTimeParam.js';
import { FORMAT, INCIDENT_ID, querystring, TIME } from './schemas.js';

function summary(ctx: ApiContext, r: IncidentHistoryRecord) {
  return {
    id: r.id,
    state: r.state,
    openedAt: r.openedAt,
    closedAt: r.closedAt,
    openedSeverity: r.openedSeverity,
    severity: r.severity,
    peakTemperature: r.peakTemperature,
    affectedEntities: r.affectedEntities,
    rootCause: r.rootCause?.candidates.find((c) => c.score > 0)?.service ?? null,
    summary: r.summary,
    feedback: ctx.service.feedback.forIncident(r.id),
    ...(r.restoredFrom === undefined ? {} : { restoredFrom: r.restoredFrom }),
  };
}

function rootCause(ranking: StoredRanking, frames: boolean) {
  return {
    incidentId: ranking.incidentId,
    alertTime: ranking.alertTime,
    computedAt: ranking.computedAt,
    final: ranking.final,
    window: ranking.window,
    candidates: ranking.candidates,
    notes: ranking.notes,
    ...(frames ? { frames: [buildRootCauseFrame(ranking, ranking.incidentId)] } : {}),
  };
}

/** Keeps records overlapping [from, to]; an open incident reaches to now. */
function overlapping(records: readonly IncidentHistoryRecord[], from: number | null, to: number | null) {
  return records.filter(
    (r) => (to === null || r.openedAt <= to) && (from === null || (r.closedAt ?? Number.POSITIVE_INFINITY) >= from)
  );
}

/** GET /incidents, /incidents/{id}, /evaluations and /rootcause. */
export function incidentRoutes(ctx: ApiContext): FastifyPluginAsync<ApiRouteOptions> {
  return async (app) => {
    app.get<{ Querystring: { state?: string; from?: string; to?: string; format?: string } }>(
      '/incidents',
      {
        schema: {
          querystring: querystring({
            state: { type: 'string', enum: ['open', 'closed', 'all'] },
            from: TIME,
            to: TIME,
            format: FORMAT,
          }),
        },
      },
      async (request) => {
        const { state, from, to, format } = request.query;
        const now = ctx.now();
        const records = overlapping(
          ctx.service.history.list(),
          from === undefined ? null : parseTimeParam('from', from, now),
          to === undefined ? null : parseTimeParam('to', to, now)
        ).filter((r) => state === undefined || state === 'all' || r.state === state);
        return format === 'frames'
          ? { frames: [buildIncidentListFrame(records)] }
          : { incidents: records.map((r) => summary(ctx, r)) };
      }
    );

    app.get<{ Params: { id: string } }>(
      '/incidents/:id',
      { schema: { params: { type: 'object', properties: { id: INCIDENT_ID }, required: ['id'] } } },
      async (request) => {
        const r = ctx.service.history.get(request.params.id);
        if (r === undefined) {
          throw new ApiError(
            404,
            'not_found',
            `no incident ${JSON.stringify(request.params.id)}; GET /api/v1/incidents lists them`
          );
        }
        return {
          ...summary(ctx, r),
          escalatedAt: r.escalatedAt,
          peakAt: r.peakAt,
          rule: r.rule,
          timeline: r.timeline,
          timelineDropped: r.timelineDropped,
          explanation: r.explanation,
          rootCause: r.rootCause === null ? null : rootCause(r.rootCause, false),
        };
      }
    );

    app.get<{ Querystring: { kind?: string; from?: string; to?: string; format?: string } }>(
      '/evaluations',
      {
        schema: {
          querystring: querystring({
            kind: { type: 'string', enum: ['tolerated', 'all'] },
            from: TIME,
            to: TIME,
            format: FORMAT,
          }),
        },
      },
      async (request) => {
        const { kind, from, to, format } = request.query;
        const now = ctx.now();
        const lo = from === undefined ? null : parseTimeParam('from', from, now);
        const hi = to === undefined ? null : parseTimeParam('to', to, now);
        const notes = ctx.service.notes
          .list()
          .filter(
            (n) =>
              (kind !== 'tolerated' || n.kind === 'tolerated') &&
              (lo === null || n.at >= lo) &&
              (hi === null || n.at <= hi)
          );
        if (format === 'frames') {
          return { frames: [kind === 'tolerated' ? buildToleratedFrame(notes) : buildEvaluationFrame(notes)] };
        }
        return { evaluations: notes };
      }
    );

    app.get<{ Querystring: { incidentId?: string; format?: string } }>(
      '/rootcause',
      { schema: { querystring: querystring({ incidentId: INCIDENT_ID, format: FORMAT }) } },
      async (request) => {
        const { incidentId, format } = request.query;
        const history = ctx.service.history;
        let record: IncidentHistoryRecord | undefined;
        if (incidentId !== undefined) {
          record = history.get(incidentId);
          if (record === undefined) {
            throw new ApiError(404, 'not_found', `no incident ${JSON.stringify(incidentId)}`);
          }
        } else {
          record = history.open() ?? history.list().find((r) => r.rootCause !== null);
        }
        if (record?.rootCause === null || record === undefined) {
          throw new ApiError(
            404,
            'not_found',
            record === undefined
              ? 'no incident has a root-cause ranking yet'
              : `incident ${record.id} has no root-cause ranking (Prometheus may have been unreachable while it was open)`
          );
        }
        return rootCause(record.rootCause as StoredRanking, format === 'frames');
      }
    );
  };
}
