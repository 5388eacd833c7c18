import type { CallSpec, ServiceSpec } from './types.js';

export interface EndpointRef {
  service: string;
  endpoint: string;
}

export interface CallCycle {
  /** The endpoints on the cycle, the first repeated at the end: a -> b -> a. */
  path: EndpointRef[];
  /** The call that leads back to the start of the cycle. */
  closingCall: CallSpec;
}

/**
 * Finds a cycle in the endpoint call graph, or undefined when there is none. Cycles are looked for
 * between endpoints, not services: A.x -> B.y -> A.z terminates, A.x -> B.y -> A.x never does.
 * Calls to unknown services or endpoints are skipped (they are reported separately).
 *
 * Iterative depth-first search, so a generated topology with a thousand services in a long chain
 * cannot overflow the stack.
 */
export function findCallCycle(services: ReadonlyMap<string, ServiceSpec>): CallCycle | undefined {
  const key = (r: EndpointRef): string => `${r.service}\u0000${r.endpoint}`;
  const done = new Set<string>();
  for (const service of services.values()) {
    for (const endpoint of service.endpoints.values()) {
      const start: EndpointRef = { service: service.name, endpoint: endpoint.name };
      if (done.has(key(start))) {
        continue;
      }
      const found = searchFrom(start, services, done, key);
      if (found) {
        return found;
      }
    }
  }
  return undefined;
}

interface Frame {
  ref: EndpointRef;
  calls: CallSpec[];
  next: number;
}

function searchFrom(
  start: EndpointRef,
  services: ReadonlyMap<string, ServiceSpec>,
  done: Set<string>,
  key: (r: EndpointRef) => string
): CallCycle | undefined {
  const callsOf = (r: EndpointRef): CallSpec[] => services.get(r.service)?.endpoints.get(r.endpoint)?.calls ?? [];
  const stack: Frame[] = [{ ref: start, calls: callsOf(start), next: 0 }];
  const onStack = new Map<string, number>([[key(start), 0]]);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const call = frame.calls[frame.next++];
    if (!call) {
      stack.pop();
      onStack.delete(key(frame.ref));
      done.add(key(frame.ref));
      continue;
    }
    const target: EndpointRef = { service: call.service, endpoint: call.endpoint };
    if (!services.get(target.service)?.endpoints.has(target.endpoint)) {
      continue;
    }
    const k = key(target);
    const at = onStack.get(k);
    if (at !== undefined) {
      const path = [...stack.slice(at).map((f) => f.ref), target];
      return { path, closingCall: call };
    }
    if (done.has(k)) {
      continue;
    }
    onStack.set(k, stack.length);
    stack.push({ ref: target, calls: callsOf(target), next: 0 });
  }
  return undefined;
}
