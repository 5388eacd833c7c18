/** A node of a notification policy tree, in Grafana's provisioning or Alertmanager's form. */
export interface PolicyRoute {
  receiver?: string;
  object_matchers?: Array<[string, string, string]>;
  matchers?: string[];
  continue?: boolean;
  routes?: PolicyRoute[];
}

type Matcher = [label: string, op: string, value: string];

/** Alertmanager's matcher strings (`team="web"`, `severity=~"a|b"`) as [label, op, value]. */
function parseMatcher(text: string): Matcher {
  const match = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"?(.*?)"?\s*$/.exec(text);
  if (!match) {
    throw new Error(`cannot read matcher ${JSON.stringify(text)}`);
  }
  return [match[1]!, match[2]!, match[3]!];
}

function matches(route: PolicyRoute, labels: Record<string, string>): boolean {
  const all: Matcher[] = [...(route.object_matchers ?? []), ...(route.matchers ?? []).map(parseMatcher)];
  return all.every(([label, op, value]) => {
    const actual = labels[label] ?? '';
    switch (op) {
      case '=':
        return actual === value;
      case '!=':
        return actual !== value;
      case '=~':
        return new RegExp(`^(?:${value})$`).test(actual);
      case '!~':
        return !new RegExp(`^(?:${value})$`).test(actual);
      default:
        throw new Error(`unknown matcher operator ${op}`);
    }
  });
}

/**
 * The receivers an alert with these labels is sent to, as Alertmanager (and Grafana's embedded
 * one) walk the tree: depth first, the first matching child wins unless it says `continue`, a
 * node without a matching child delivers to its own receiver, and receivers are inherited.
 */
export function receiversFor(root: PolicyRoute, labels: Record<string, string>): string[] {
  const walk = (route: PolicyRoute, inherited: string): string[] => {
    const receiver = route.receiver ?? inherited;
    const found: string[] = [];
    for (const child of route.routes ?? []) {
      if (!matches(child, labels)) {
        continue;
      }
      found.push(...walk(child, receiver));
      if (!child.continue) {
        break;
      }
    }
    return found.length > 0 ? found : [receiver];
  };
  return walk(root, root.receiver ?? '');
}
