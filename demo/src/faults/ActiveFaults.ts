import type { EdgeFault, FaultSpec, ServiceFault } from './types.js';

const NONE: readonly never[] = Object.freeze([]);

/**
 * The faults in effect right now, indexed for the request path: every call asks for its edge's
 * faults and every request for its service's, so lookups are map reads, not scans.
 */
export class ActiveFaults {
  private readonly byEdge = new Map<string, EdgeFault[]>();
  private readonly byService = new Map<string, ServiceFault[]>();

  add(fault: FaultSpec): void {
    if ('edge' in fault) {
      push(this.byEdge, edgeKey(fault.edge.client, fault.edge.server), fault);
    } else {
      push(this.byService, fault.service, fault);
    }
  }

  remove(fault: FaultSpec): void {
    if ('edge' in fault) {
      pull(this.byEdge, edgeKey(fault.edge.client, fault.edge.server), fault);
    } else {
      pull(this.byService, fault.service, fault);
    }
  }

  onEdge(client: string, server: string): readonly EdgeFault[] {
    return this.byEdge.get(edgeKey(client, server)) ?? NONE;
  }

  onService(service: string): readonly ServiceFault[] {
    return this.byService.get(service) ?? NONE;
  }

  /** Extra milliseconds every response of the service waits (slow faults add up). */
  slowMs(service: string): number {
    return this.onService(service).reduce((sum, f) => sum + (f.type === 'slow' ? f.delayMs : 0), 0);
  }

  /** Extra CPU milliseconds per request (cpu faults add up). */
  extraCpuMs(service: string): number {
    return this.onService(service).reduce((sum, f) => sum + (f.type === 'cpu' ? f.extraCpuMsPerRequest : 0), 0);
  }

  /** How the service is dead, if it is; refuse wins over hang because a closed port hides everything. */
  deadMode(service: string): 'hang' | 'refuse' | undefined {
    let mode: 'hang' | 'refuse' | undefined;
    for (const f of this.onService(service)) {
      if (f.type === 'dead' && (mode === undefined || f.mode === 'refuse')) {
        mode = f.mode;
      }
    }
    return mode;
  }
}

function edgeKey(client: string, server: string): string {
  return `${client}\u0000${server}`;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) {
    list.push(value);
  } else {
    map.set(key, [value]);
  }
}

function pull<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key)?.filter((v) => v !== value) ?? [];
  if (list.length > 0) {
    map.set(key, list);
  } else {
    map.delete(key);
  }
}
