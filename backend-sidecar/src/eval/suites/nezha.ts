import { join } from 'node:path';

import { rankRootCauseCase, type CaseRankingOptions } from '../../rootcause/case/index.js';
import type { EvalSuite } from '../EvalSuite.js';
import { listRootCauseCases } from '../nezha/listRootCauseCases.js';
import { prepareNezhaDataset } from '../nezha/prepareNezhaDataset.js';
import { readRootCauseCase } from '../nezha/readRootCauseCase.js';
import { summariseAccuracy, type Accuracy } from '../nezha/summariseAccuracy.js';

/**
 * The benchmark's alert time is the labelled injection time. The analysed window starts two
 * minutes before it (clocks of the injector and the collector differ, and 1-minute samples
 * straddle the moment) and runs eight minutes after it, long enough for the injected faults,
 * which last a few minutes, to show and spread.
 */
export const NEZHA_RANKING: Readonly<CaseRankingOptions> = Object.freeze({
  rank: Object.freeze({ lookbackSeconds: 120, lookaheadSeconds: 480, minSteps: 2 }),
  level: Object.freeze({ from: 900, to: 180 }),
});

interface Row {
  system: string;
  day: string;
  type: string;
  truth: string;
  rank: number;
}

function percent(a: Accuracy): string {
  return `cases=${a.cases} AC@1=${a.ac1}% AC@3=${a.ac3}% Avg@5=${a.avg5}%`;
}

const suite: EvalSuite = {
  name: 'nezha',
  defaultDataSubdir: 'nezha',
  async run({ dataDir, log }) {
    const dir = await prepareNezhaDataset(dataDir, log);
    const paths = await listRootCauseCases(dir);
    const rows: Row[] = [];
    for (const path of paths) {
      const rootCase = await readRootCauseCase(join(dir, path));
      const label = rootCase.meta.label;
      if (!label) {
        log(`nezha ${rootCase.meta.id}: no label, skipped`);
        continue;
      }
      const { ranking } = rankRootCauseCase(rootCase, NEZHA_RANKING);
      const index = ranking.candidates.findIndex((c) => c.service === label.service);
      const rank = index < 0 ? Number.POSITIVE_INFINITY : index + 1;
      const system = rootCase.meta.system ?? 'unknown';
      const day = String(rootCase.meta.source?.day ?? '');
      const type = label.type ?? 'unknown';
      rows.push({ system, day, type, truth: label.service, rank });
      const top5 = ranking.candidates.slice(0, 5).map((c) => `${c.service}(${c.score.toFixed(1)})`);
      log(
        `nezha case ${system} ${day} ${rootCase.meta.id} type=${type} truth=${label.service} rank=${Number.isFinite(rank) ? rank : '-'} top5=${top5.join(' ')}`
      );
      const first = ranking.candidates[0];
      if (first) {
        log(`  why #1: ${first.summary}`);
      }
    }

    const systems: Record<string, Accuracy> = {};
    for (const system of [...new Set(rows.map((r) => r.system))].sort()) {
      const mine = rows.filter((r) => r.system === system);
      systems[system] = summariseAccuracy(mine);
      log(`nezha ${system}: ${percent(systems[system] as Accuracy)}`);
      for (const day of [...new Set(mine.map((r) => r.day))].sort()) {
        log(`nezha ${system} day ${day}: ${percent(summariseAccuracy(mine.filter((r) => r.day === day)))}`);
      }
      for (const type of [...new Set(mine.map((r) => r.type))].sort()) {
        log(`nezha ${system} type ${type}: ${percent(summariseAccuracy(mine.filter((r) => r.type === type)))}`);
      }
    }
    for (const type of [...new Set(rows.map((r) => r.type))].sort()) {
      log(`nezha all systems type ${type}: ${percent(summariseAccuracy(rows.filter((r) => r.type === type)))}`);
    }
    return { suite: 'nezha', systems };
  },
};

export default suite;
