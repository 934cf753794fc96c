import { List } from 'immutable';
import { applyTracked } from './divergence.ts';
import { nextRandom } from './rng.ts';
import { holdsFrom, otherDc } from './vocab.ts';
import { DATACENTERS, type DcId, type Lane, type LinkSettings, type Message, type Op, type SimEvent, type SimState } from './types.ts';

/** The one-way delay a message sent now will have. */
export function currentLatency(link: LinkSettings): number {
  return link.mode === 'slow' ? link.slowLatencyMs : link.latencyMs;
}

/** A lane with nothing on it. */
export const EMPTY_LANE: Lane = { messages: List(), earliest: null };

/** Both directions empty: a new session, a reset, a heal. */
export const EMPTY_LINK: Readonly<Record<DcId, Lane>> = { west: EMPTY_LANE, east: EMPTY_LANE };

/** One more message at the end of a lane: O(log n). */
export function laneWith(lane: Lane, message: Message): Lane {
  const earliest = lane.earliest === null ? message.deliverAt : Math.min(lane.earliest, message.deliverAt);
  return { messages: lane.messages.push(message), earliest };
}

/** A lane holding `messages` (in send order): O(k log k) for k messages. */
export function laneOf(messages: Iterable<Message>): Lane {
  let lane: Lane = EMPTY_LANE;
  for (const message of messages) lane = laneWith(lane, message);
  return lane;
}

/** What stays on a lane once the rest is delivered. */
function laneWithout(kept: readonly Message[]): Lane {
  if (kept.length === 0) return EMPTY_LANE;
  let earliest = Infinity;
  for (const m of kept) earliest = Math.min(earliest, m.deliverAt);
  return { messages: List(kept), earliest };
}

/** Every message on the link, in send order: for tests and small views, O(messages). */
export function inFlightMessages(state: SimState): Message[] {
  return [...state.inFlight.west.messages, ...state.inFlight.east.messages].sort((a, b) => a.seq - b.seq);
}

/** How many messages are on the link, by sending datacenter: O(1). */
export function inFlightCounts(state: SimState): Record<DcId, number> {
  return { west: state.inFlight.west.messages.size, east: state.inFlight.east.messages.size };
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
  return {
    ...state,
    rng: draw.state,
    nextMessageSeq: state.nextMessageSeq + 1,
    inFlight: { ...state.inFlight, [op.origin]: laneWith(state.inFlight[op.origin], message) },
  };
}

function byDeliveryTime(a: Message, b: Message): number {
  return a.deliverAt - b.deliverAt || a.seq - b.seq;
}

/**
 * Delivers every message due by `now` that the link lets through, in order of arrival time (then
 * send order), each with the foundation's merge rule. `at` says when it took effect: a message
 * on a working link arrives at its `deliverAt`, whenever the tick runs, so replaying the command
 * log without ticks reaches the same state; a held one arrives when the link lets it (`releasedAt`).
 * A blocked lane, or one whose earliest message is not due, is not looked at: O(1) during a cut.
 */
export function deliverDue(state: SimState, now: number, releasedAt?: number): { state: SimState; events: SimEvent[] } {
  const mode = state.link.mode;
  let inFlight = state.inFlight;
  const due: Message[] = [];
  for (const from of DATACENTERS) {
    const lane = state.inFlight[from];
    if (lane.earliest === null || lane.earliest > now || holdsFrom(mode, from)) continue;
    const gone: Message[] = [];
    const kept: Message[] = [];
    for (const m of lane.messages) (m.deliverAt <= now ? gone : kept).push(m);
    inFlight = { ...inFlight, [from]: laneWithout(kept) };
    due.push(...gone);
  }
  if (due.length === 0) return { state, events: [] };
  const ordered = due.sort(byDeliveryTime);
  const events: SimEvent[] = ordered.map((m) => ({ type: 'op.applied', dc: m.to, op: m.op, local: false, at: releasedAt ?? m.deliverAt }));
  // Each side's deliveries are independent of the other's, so one batch per side keeps the order that matters.
  let next: SimState = { ...state, inFlight };
  for (const dc of DATACENTERS) {
    next = applyTracked(
      next,
      dc,
      ordered.filter((m) => m.to === dc).map((m) => m.op),
      false,
    );
  }
  return { state: next, events };
}

/** When the next deliverable message arrives, so an adapter knows when to tick; null when none can. O(1). */
export function nextDeliveryAt(state: SimState): number | null {
  let next: number | null = null;
  for (const from of DATACENTERS) {
    const { earliest } = state.inFlight[from];
    if (earliest === null || holdsFrom(state.link.mode, from)) continue;
    if (next === null || earliest < next) next = earliest;
  }
  return next;
}

/** How many messages the link is holding right now, by the datacenter that sent them. */
export function heldCounts(state: SimState): Record<DcId, number> {
  const counts = { west: 0, east: 0 };
  for (const from of DATACENTERS) if (holdsFrom(state.link.mode, from)) counts[from] = state.inFlight[from].messages.size;
  return counts;
}
