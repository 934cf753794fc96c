import { applyOp } from './replica.ts';
import { nextRandom } from './rng.ts';
import type { DcId, Message, Op, SimEvent, SimState } from './types.ts';

/** The datacenter on the other end of the link. */
export function otherDc(dc: DcId): DcId {
  return dc === 'west' ? 'east' : 'west';
}

/**
 * Puts an op on the link to the other datacenter. It arrives after the latency plus a jitter
 * drawn from the state's seeded PRNG, so two messages can overtake each other (NET1).
 */
export function send(state: SimState, op: Op, now: number): SimState {
  const draw = nextRandom(state.rng);
  const jitter = Math.floor(draw.value * state.link.jitterMs);
  const message: Message = {
    seq: state.nextMessageSeq,
    from: op.origin,
    to: otherDc(op.origin),
    op,
    sentAt: now,
    deliverAt: now + state.link.latencyMs + jitter,
  };
  return { ...state, rng: draw.state, nextMessageSeq: state.nextMessageSeq + 1, inFlight: [...state.inFlight, message] };
}

function byDeliveryTime(a: Message, b: Message): number {
  return a.deliverAt - b.deliverAt || a.seq - b.seq;
}

/**
 * Delivers every message due at `now`, in order of arrival time (then send order). A message's
 * effect does not depend on when the tick runs, only on its `deliverAt`: replaying the command
 * log without ticks reaches the same state.
 */
export function deliverDue(state: SimState, now: number): { state: SimState; events: SimEvent[] } {
  const due = state.inFlight.filter((m) => m.deliverAt <= now);
  if (due.length === 0) return { state, events: [] };
  const events: SimEvent[] = [];
  let replicas = state.replicas;
  for (const message of [...due].sort(byDeliveryTime)) {
    replicas = { ...replicas, [message.to]: applyOp(replicas[message.to], message.op, false) };
    events.push({ type: 'op.applied', dc: message.to, op: message.op, local: false });
  }
  return { state: { ...state, replicas, inFlight: state.inFlight.filter((m) => m.deliverAt > now) }, events };
}

/** When the next message arrives, so an adapter knows when to tick; null when the link is empty. */
export function nextDeliveryAt(state: SimState): number | null {
  let next: number | null = null;
  for (const m of state.inFlight) if (next === null || m.deliverAt < next) next = m.deliverAt;
  return next;
}
