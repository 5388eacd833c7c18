import { shardOf } from './shardOf.js';
import type { SelectionConfig, SelectionRule, ShardingConfig, StringMatcher } from './types.js';

export interface ServiceIdentity {
  readonly namespace?: string;
  readonly service: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface SelectionDecision {
  readonly monitored: boolean;
  /** Which rule, override or shard decided, e.g. "matches exclude rule 2 (namespace kube-.*)". */
  readonly reason: string;
}

/** Services the API added to or removed from the monitored set. */
export interface SelectionOverrideLists {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

type Test = (value: string | undefined) => boolean;

function compile(m: StringMatcher): Test {
  if ('exact' in m) {
    return (value) => value === m.exact;
  }
  // Anchored like PromQL label matchers: "cart" must not match "cartography".
  const re = new RegExp(`^(?:${m.regex})$`, 'u');
  return (value) => value !== undefined && re.test(value);
}

function show(m: StringMatcher): string {
  return 'exact' in m ? m.exact : `~${m.regex}`;
}

function describeRule(rule: SelectionRule): string {
  const parts: string[] = [];
  if (rule.namespace !== null) {
    parts.push(`namespace ${show(rule.namespace)}`);
  }
  if (rule.service !== null) {
    parts.push(`service ${show(rule.service)}`);
  }
  for (const [name, m] of Object.entries(rule.labels)) {
    parts.push(`${name} ${show(m)}`);
  }
  return parts.join(', ');
}

function compileRule(rule: SelectionRule): (s: ServiceIdentity) => boolean {
  const ns = rule.namespace === null ? null : compile(rule.namespace);
  const svc = rule.service === null ? null : compile(rule.service);
  const labels = Object.entries(rule.labels).map(([name, m]) => [name, compile(m)] as const);
  return (s) =>
    (ns === null || ns(s.namespace)) &&
    (svc === null || svc(s.service)) &&
    labels.every(([name, test]) => test(s.labels?.[name]));
}

/** The key a service is sharded by: "namespace/service" (namespace empty when unknown). */
export function shardKey(s: ServiceIdentity): string {
  return `${s.namespace ?? ''}/${s.service}`;
}

/**
 * Decides whether this replica monitors a service, and says why. Order: the shard (a service of
 * another shard is never this replica's), then the API's overrides (an operator's explicit
 * choice beats the file), then the config's exclude rules, then its include rules (none: every
 * service). Regexes are compiled once.
 */
export function createSelectionJudge(
  selection: SelectionConfig,
  sharding: ShardingConfig,
  overrides: SelectionOverrideLists = { include: [], exclude: [] }
): (s: ServiceIdentity) => SelectionDecision {
  const include = selection.include.map((rule, i) => ({ test: compileRule(rule), text: describeRule(rule), n: i + 1 }));
  const exclude = selection.exclude.map((rule, i) => ({ test: compileRule(rule), text: describeRule(rule), n: i + 1 }));
  const added = new Set(overrides.include);
  const removed = new Set(overrides.exclude);
  return (s) => {
    if (sharding.count > 1) {
      const shard = shardOf(shardKey(s), sharding.count);
      if (shard !== sharding.index) {
        return { monitored: false, reason: `belongs to shard ${shard} of ${sharding.count}, not ${sharding.index}` };
      }
    }
    if (removed.has(s.service)) {
      return { monitored: false, reason: 'excluded by an override made through the API' };
    }
    if (added.has(s.service)) {
      return { monitored: true, reason: 'included by an override made through the API' };
    }
    const out = exclude.find((rule) => rule.test(s));
    if (out !== undefined) {
      return { monitored: false, reason: `matches exclude rule ${out.n} (${out.text})` };
    }
    if (include.length === 0) {
      return { monitored: true, reason: 'no include rules: every service is monitored' };
    }
    const match = include.find((rule) => rule.test(s));
    return match !== undefined
      ? { monitored: true, reason: `matches include rule ${match.n} (${match.text})` }
      : { monitored: false, reason: 'matches no include rule' };
  };
}
