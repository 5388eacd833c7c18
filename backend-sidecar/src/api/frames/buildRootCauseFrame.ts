import type { RootCauseRanking } from '../../rootcause/types.js';
import { dataFrame, ms, type DataFrame } from './dataFrame.js';

/** The `rootcause` table of docs/frames.md. */
export function buildRootCauseFrame(ranking: RootCauseRanking, incidentId: string | null): DataFrame {
  const c = ranking.candidates;
  return dataFrame(
    'rootcause',
    [
      { name: 'rank', type: 'number', values: c.map((x) => x.rank) },
      { name: 'service', type: 'string', values: c.map((x) => x.service) },
      { name: 'score', type: 'number', values: c.map((x) => x.score) },
      { name: 'channel', type: 'string', values: c.map((x) => x.channel) },
      { name: 'onset', type: 'time', values: c.map((x) => ms(x.onset)) },
      { name: 'explained_by', type: 'string', values: c.map((x) => x.explainedBy?.service ?? '') },
      { name: 'evidence', type: 'string', values: c.map((x) => x.summary) },
      {
        name: 'signals',
        type: 'string',
        values: c.map((x) =>
          x.signals
            .map(
              (s) =>
                `${s.signal} ${s.peak.toFixed(2)}@${s.onset === null ? '-' : new Date(s.onset * 1000).toISOString()}`
            )
            .join(', ')
        ),
      },
    ],
    { custom: { incidentId, alertTime: ms(ranking.alertTime), notes: ranking.notes } }
  );
}
