import { stringify } from 'yaml';
import type { ScrapeTarget } from './types.js';

export interface PrometheusConfigInput {
  scrapeTargets: ScrapeTarget[];
  scrapeIntervalSeconds: number;
  evaluationIntervalSeconds: number;
  ruleFiles: string[];
}

/**
 * The text of prometheus.yml for the given targets and intervals. Validates what Prometheus
 * would otherwise reject only in its log (duplicate jobs, malformed targets), so the caller
 * gets the reason as an exception.
 */
export function renderPrometheusConfig(input: PrometheusConfigInput): string {
  const interval = duration(input.scrapeIntervalSeconds, 'scrapeIntervalSeconds');
  const seenJobs = new Set<string>();
  const scrapeConfigs = input.scrapeTargets.map((target) => {
    if (target.job === '') {
      throw new Error('scrape target: job must not be empty');
    }
    if (seenJobs.has(target.job)) {
      throw new Error(`scrape target: job '${target.job}' appears twice; job names must be unique`);
    }
    seenJobs.add(target.job);
    for (const address of target.targets) {
      if (!/^[^\s/:]+:\d{1,5}$/.test(address) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(address)) {
        throw new Error(`scrape target '${address}' of job '${target.job}' must be host:port without scheme or path`);
      }
    }
    const jobInterval =
      target.scrapeIntervalSeconds === undefined
        ? undefined
        : duration(target.scrapeIntervalSeconds, `scrapeIntervalSeconds of job '${target.job}'`);
    return {
      job_name: target.job,
      metrics_path: target.metricsPath ?? '/metrics',
      ...(target.honorLabels === true ? { honor_labels: true } : {}),
      // Prometheus rejects a scrape timeout longer than the interval, and its default (10 s)
      // is longer than the short intervals tests use, so the timeout follows the interval.
      ...(jobInterval === undefined ? {} : { scrape_interval: jobInterval, scrape_timeout: jobInterval }),
      static_configs: [
        {
          targets: target.targets,
          ...(target.labels !== undefined && Object.keys(target.labels).length > 0 ? { labels: target.labels } : {}),
        },
      ],
    };
  });
  const config = {
    global: {
      scrape_interval: interval,
      scrape_timeout: interval,
      evaluation_interval: duration(input.evaluationIntervalSeconds, 'evaluationIntervalSeconds'),
    },
    ...(input.ruleFiles.length > 0 ? { rule_files: input.ruleFiles } : {}),
    scrape_configs: scrapeConfigs,
  };
  return stringify(config);
}

/** Seconds as a Prometheus duration in whole milliseconds, so fractions like 0.5 work. */
function duration(seconds: number, what: string): string {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`${what} must be a positive number of seconds, got ${seconds}`);
  }
  return `${Math.max(1, Math.round(seconds * 1000))}ms`;
}
