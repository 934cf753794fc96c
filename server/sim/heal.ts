import { deliverDue } from './network.ts';
import type { SimEvent, SimState } from './types.ts';

/**
 * The heal path: once the link lets held messages through again, deliver every one of them now
 * (NET2: none lost, none twice) and apply them with the foundation's merge rule. This is the one
 * function the resolution strategies (LWW, merge-all, human choice) will replace.
 */
export function heal(state: SimState, now: number): { state: SimState; events: SimEvent[] } {
  return deliverDue(state, now, now);
}
