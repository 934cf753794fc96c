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
 * Folds a step's events into the timeline (a projection, not part of the state: replaying the
 * log rebuilds it). Returns the timeline and the ops that changed, for a small broadcast.
 */
export function recordTimeline(timeline: Timeline, events: readonly SimEvent[], state: SimState): { timeline: Timeline; changed: TimelineOp[] } {
  let ops = timeline.ops;
  let bands = timeline.bands;
  const changed = new Map<string, TimelineOp>();
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
          ops = [...ops, entry];
          changed.set(op.opId, entry);
        } else {
          const index = ops.findLastIndex((o) => o.opId === op.opId);
          const found = ops[index];
          if (found) {
            const delivered = { ...found, deliveredAt: event.at };
            ops = ops.with(index, delivered);
            changed.set(op.opId, delivered);
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
        ops = [];
        bands = [];
        changed.clear();
        break;
      case 'participant.joined':
      case 'participant.moved':
      case 'heal.resolved':
      case 'incident.replayed':
        break;
      default: {
        const unknown: never = event;
        throw new Error(`unknown event ${JSON.stringify(unknown)}`);
      }
    }
  }
  if (ops.length > TIMELINE_LIMIT) ops = ops.slice(ops.length - TIMELINE_LIMIT);
  if (bands.length > 50) bands = bands.slice(bands.length - 50);
  return { timeline: { ops, bands }, changed: [...changed.values()] };
}
