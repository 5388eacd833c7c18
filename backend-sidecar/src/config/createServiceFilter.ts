import { shardOf } from './shardOf.js';
import type { SelectionConfig, SelectionRule, ShardingConfig, StringMatcher } from './types.js';

export interface ServiceIdentity {
  readonly namespace?: string;
  readonly service: string;
  readonly labels?: Readonly<Record<string, string>>;
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
function shardKey(s: ServiceIdentity): string {
  return `${s.namespace ?? ''}/${s.service}`;
}

/**
 * Whether this replica monitors a service: it matches an include rule (or there are none),
 * matches no exclude rule, and hashes into this replica's shard. Regexes are compiled once.
 */
export function createServiceFilter(
  selection: SelectionConfig,
  sharding: ShardingConfig
): (s: ServiceIdentity) => boolean {
  const include = selection.include.map(compileRule);
  const exclude = selection.exclude.map(compileRule);
  return (s) =>
    (include.length === 0 || include.some((rule) => rule(s))) &&
    !exclude.some((rule) => rule(s)) &&
    (sharding.count === 1 || shardOf(shardKey(s), sharding.count) === sharding.index);
}
