import type { Topology } from './types.js';

/** What one request to an endpoint sets off below it, counting calls at every depth. */
export interface DownstreamCalls {
  /** Mean number of calls, each call weighted by the probability that it is made. */
  expected: number;
  /** Number of calls when every optional call is made. */
  worstCase: number;
}

/**
 * Downstream calls per endpoint, keyed "service/endpoint". Expectation is linear, so for an
 * endpoint with calls c_i of probability p_i to endpoints t_i:
 *   expected = Σ p_i (1 + expected(t_i)),   worstCase = Σ (1 + worstCase(t_i)).
 * The call graph must be acyclic (loadTopology and generateTopology guarantee it).
 */
export function downstreamCalls(topology: Topology): Map<string, DownstreamCalls> {
  const result = new Map<string, DownstreamCalls>();
  const visiting = new Set<string>();

  // Iterative post-order, so a long chain in a generated topology cannot overflow the stack.
  for (const service of topology.services.values()) {
    for (const endpoint of service.endpoints.values()) {
      const rootKey = `${service.name}/${endpoint.name}`;
      if (result.has(rootKey)) {
        continue;
      }
      const stack: Array<{ service: string; endpoint: string; expanded: boolean }> = [
        { service: service.name, endpoint: endpoint.name, expanded: false },
      ];
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const key = `${top.service}/${top.endpoint}`;
        const spec = topology.services.get(top.service)?.endpoints.get(top.endpoint);
        if (!spec) {
          throw new Error(`call to unknown endpoint ${key}`);
        }
        if (!top.expanded) {
          top.expanded = true;
          visiting.add(key);
          for (const call of spec.calls) {
            const target = `${call.service}/${call.endpoint}`;
            if (visiting.has(target)) {
              throw new Error(`call cycle through ${target}`);
            }
            if (!result.has(target)) {
              stack.push({ service: call.service, endpoint: call.endpoint, expanded: false });
            }
          }
          continue;
        }
        stack.pop();
        visiting.delete(key);
        if (result.has(key)) {
          continue;
        }
        let expected = 0;
        let worstCase = 0;
        for (const call of spec.calls) {
          const below = result.get(`${call.service}/${call.endpoint}`)!;
          expected += call.probability * (1 + below.expected);
          worstCase += 1 + below.worstCase;
        }
        result.set(key, { expected, worstCase });
      }
    }
  }
  return result;
}
