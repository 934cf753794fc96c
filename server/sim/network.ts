import { applyOps } from './replica.ts';
import { nextRandom } from './rng.ts';
import type { DcId, LinkMode, LinkSettings, Message, Op, SimEvent, SimState } from './types.ts';

/** The datacenter on the other end of the link. */
export function otherDc(dc: DcId): DcId {
  return dc === 'west' ? 'east' : 'west';
}

/** True while the link holds messages sent from `from` (NET2, NET3). */
export function isBlocked(mode: LinkMode, from: DcId): boolean {
  switch (mode) {
    case 'up':
    case 'slow':
      return false;
    case 'cut':
      return true;
    case 'cut-west-to-east':
      return from === 'west';
    case 'cut-east-to-west':
      return from === 'east';
    default: {
      const unknown: never = mode;
      throw new Error(`unknown link mode ${String(unknown)}`);
    }
  }
}

/** True for any cut, one-way included: a quorum needs round trips, so either way each side is alone. */
export function isCut(mode: LinkMode): boolean {
  return mode === 'cut' || mode === 'cut-west-to-east' || mode === 'cut-east-to-west';
}

/** The one-way delay a message sent now will have. */
export function currentLatency(link: LinkSettings): number {
  return link.mode === 'slow' ? link.slowLatencyMs : link.latencyMs;
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
    deliverAt: now + currentLatency(state.link) + jitter,
  };
  return { ...state, rng: draw.state, nextMessageSeq: state.nextMessageSeq + 1, inFlight: [...state.inFlight, message] };
}

function byDeliveryTime(a: Message, b: Message): number {
  return a.deliverAt - b.deliverAt || a.seq - b.seq;
}

/**
 * Delivers every message due by `now` that the link lets through, in order of arrival time (then
 * send order), each with the foundation's merge rule. `at` says when it took effect: a message
 * on a working link arrives at its `deliverAt`, whenever the tick runs, so replaying the command
 * log without ticks reaches the same state; a held one arrives when the link lets it (`releasedAt`).
 */
export function deliverDue(state: SimState, now: number, releasedAt?: number): { state: SimState; events: SimEvent[] } {
  const mode = state.link.mode;
  const due = state.inFlight.filter((m) => m.deliverAt <= now && !isBlocked(mode, m.from));
  if (due.length === 0) return { state, events: [] };
  const delivered = new Set(due);
  const ordered = [...due].sort(byDeliveryTime);
  const events: SimEvent[] = ordered.map((m) => ({ type: 'op.applied', dc: m.to, op: m.op, local: false, at: releasedAt ?? m.deliverAt }));
  // Each side's deliveries are independent of the other's, so one batch per side keeps the order that matters.
  const replicas = {
    west: applyOps(state.replicas.west, ordered.filter((m) => m.to === 'west').map((m) => m.op), false),
    east: applyOps(state.replicas.east, ordered.filter((m) => m.to === 'east').map((m) => m.op), false),
  };
  return { state: { ...state, replicas, inFlight: state.inFlight.filter((m) => !delivered.has(m)) }, events };
}

/** When the next deliverable message arrives, so an adapter knows when to tick; null when none can. */
export function nextDeliveryAt(state: SimState): number | null {
  let next: number | null = null;
  for (const m of state.inFlight) {
    if (isBlocked(state.link.mode, m.from)) continue;
    if (next === null || m.deliverAt < next) next = m.deliverAt;
  }
  return next;
}

/** Messages the link is holding right now, by the datacenter that sent them. */
export function heldMessages(state: SimState, now: number): Message[] {
  return state.inFlight.filter((m) => isBlocked(state.link.mode, m.from) && m.deliverAt <= now);
}
