import type { DcId, LinkMode, OpKind, ParticipantId, PostId, SimEvent, SimState, VersionVector } from './types.ts';

/** One op as the space-time diagram draws it: a dot on its origin's lane, an arrow to the other. */
export interface TimelineOp {
  readonly opId: string;
  readonly kind: OpKind;
  readonly postId: PostId;
  readonly author: ParticipantId;
  readonly origin: DcId;
  /** Server time it was accepted at its origin. */
  readonly at: number;
  /** Its origin's wall clock (skewed) and Lamport time, as stamped. */
  readonly wall: number;
  readonly lamport: number;
  readonly vv: VersionVector;
  /** Server time it took effect on the other side; null while on the link (held, or not yet due). */
  readonly deliveredAt: number | null;
}

/** A stretch of time in one link mode: partitions and heals as bands. */
export interface TimelineBand {
  readonly mode: LinkMode;
  readonly from: number;
  readonly to: number | null;
}

export interface Timeline {
  readonly ops: readonly TimelineOp[];
  readonly bands: readonly TimelineBand[];
}

/** The diagram keeps the newest ops only: a board shows a window, and memory stays flat. */
export const TIMELINE_LIMIT = 500;

export const EMPTY_TIMELINE: Timeline = { ops: [], bands: [] };

/**
 * Folds one step's events into `ops` (changed in place) and returns the bands: the one fold shared
 * by a live step and a replay. `changed` collects the ops whose entry changed, when asked.
 */
function fold(ops: TimelineOp[], bands: readonly TimelineBand[], events: readonly SimEvent[], state: SimState, changed: Map<string, TimelineOp> | null): readonly TimelineBand[] {
  for (const event of events) {
    switch (event.type) {
      case 'op.applied': {
        const { op } = event;
        if (event.local) {
          const entry: TimelineOp = {
            opId: op.opId,
            kind: op.kind,
            postId: op.postId,
            author: op.author,
            origin: op.origin,
            at: event.at,
            wall: op.wall,
            lamport: op.lamport,
            vv: op.vv,
            deliveredAt: null,
          };
          ops.push(entry);
          changed?.set(op.opId, entry);
        } else {
          const index = ops.findLastIndex((o) => o.opId === op.opId);
          const found = ops[index];
          if (found) {
            const delivered = { ...found, deliveredAt: event.at };
            ops[index] = delivered;
            changed?.set(op.opId, delivered);
          }
        }
        break;
      }
      case 'settings.changed': {
        const last = bands.at(-1);
        const { mode, since } = state.link;
        if ((last?.mode ?? 'up') !== mode && since !== null) {
          const closed = last ? bands.with(bands.length - 1, { ...last, to: since }) : bands;
          bands = [...closed, { mode, from: since, to: null }];
        }
        break;
      }
      case 'session.reset':
        ops.length = 0;
        bands = [];
        changed?.clear();
        break;
      case 'heal.rewound': {
        // Back to just before the heal: what it delivered is held again, what came after it waits
        // for the next heal (it is drawn again when replayed), and the cut's band is open again.
        const healAt = event.healAt;
        ops = ops.filter((o) => o.at < healAt).map((o) => (o.deliveredAt !== null && o.deliveredAt >= healAt ? { ...o, deliveredAt: null } : o));
        for (const o of ops) if (o.deliveredAt === null) changed?.set(o.opId, o);
        bands = bands.filter((b) => b.from < healAt);
        const open = bands.at(-1);
        if (open) bands = bands.with(bands.length - 1, { ...open, to: null });
        break;
      }
      case 'participant.joined':
      case 'participant.moved':
      case 'heal.resolved':
      case 'incident.replayed':
      case 'consensus.acted':
        break;
      default: {
        const unknown: never = event;
        throw new Error(`unknown event ${JSON.stringify(unknown)}`);
      }
    }
  }
  return bands;
}

function windowed(ops: readonly TimelineOp[], bands: readonly TimelineBand[]): Timeline {
  return {
    ops: ops.length > TIMELINE_LIMIT ? ops.slice(ops.length - TIMELINE_LIMIT) : ops,
    bands: bands.length > 50 ? bands.slice(bands.length - 50) : bands,
  };
}

/**
 * Folds a step's events into the timeline (a projection, not part of the state: replaying the
 * log rebuilds it). Returns the timeline and the ops that changed, for a small broadcast.
 * The window is copied once per step, not once per event.
 */
export function recordTimeline(timeline: Timeline, events: readonly SimEvent[], state: SimState): { timeline: Timeline; changed: TimelineOp[] } {
  const ops = [...timeline.ops];
  const changed = new Map<string, TimelineOp>();
  const bands = fold(ops, timeline.bands, events, state, changed);
  return { timeline: windowed(ops, bands), changed: [...changed.values()] };
}

/**
 * The timeline of a whole replay, built in place: O(1) per event (amortised) instead of copying
 * the window for each one. The same timeline as folding each step with `recordTimeline`: an op in
 * the final window was in every window after it was made, so it saw every delivery.
 */
export function timelineRecorder(start: Timeline = EMPTY_TIMELINE): { add(events: readonly SimEvent[], state: SimState): void; timeline(): Timeline } {
  const ops = [...start.ops];
  let bands = start.bands;
  return {
    add(events, state) {
      bands = fold(ops, bands, events, state, null);
      if (ops.length > 4 * TIMELINE_LIMIT) ops.splice(0, ops.length - TIMELINE_LIMIT);
    },
    timeline: () => windowed([...ops], bands),
  };
}
