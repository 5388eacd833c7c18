import type { ActiveFaults } from '../faults/ActiveFaults.js';
import type { FaultActuator } from '../faults/FaultController.js';
import type { FaultSpec } from '../faults/types.js';
import type { ServiceNode } from './ServiceNode.js';

/**
 * Turns the set of active faults into the side effects that are more than a lookup on the request
 * path: background CPU hogs, leaking memory, a closed port, held requests. After every change it
 * re-derives a service's whole state from all faults active on it, so overlapping faults add up
 * and ending one leaves the others in force.
 */
export function createFaultActuator(nodes: ReadonlyMap<string, ServiceNode>, active: ActiveFaults): FaultActuator {
  const sync = (fault: FaultSpec): void => {
    if ('edge' in fault) {
      return; // edge faults act on the request path only
    }
    const node = nodes.get(fault.service);
    if (!node) {
      return;
    }
    const faults = active.onService(fault.service);
    let hogCores = 0;
    let leakRate = 0;
    let leakCap = 0;
    for (const f of faults) {
      if (f.type === 'cpu') {
        hogCores += f.hogCores;
      } else if (f.type === 'memory-leak') {
        leakRate += f.bytesPerSecond;
        leakCap = Math.max(leakCap, f.maxBytes);
      }
    }
    if (fault.type === 'cpu') {
      if (hogCores > 0) {
        node.startHog(Math.min(0.9, hogCores));
      } else {
        node.endHog();
      }
    } else if (fault.type === 'memory-leak') {
      if (leakRate > 0) {
        node.startLeak(leakRate, leakCap);
      } else {
        node.endLeak();
      }
    } else if (fault.type === 'dead') {
      const mode = active.deadMode(fault.service);
      if (mode === 'refuse') {
        node.refuse();
      } else {
        node.reopen();
        if (mode === undefined) {
          node.releaseHeld();
        }
      }
    }
  };
  return { activate: sync, deactivate: sync };
}
