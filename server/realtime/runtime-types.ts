/** What a live session (session-runtime.ts) answers and tells: its outcomes, commits and hooks. */
import type { SessionEndReason } from '../persistence/store.ts';
import type { Rejection, SimEvent, SimState, Timeline, TimelineOp } from '../sim/index.ts';

export type Clock = () => number;

/** A refusal of the runtime's own, not the core's: the session has ended and is read-only (SEC6). */
export interface EndedRefusal {
  readonly code: 'ended';
  readonly message: string;
}

export const ENDED: EndedRefusal = { code: 'ended', message: 'This session has ended: it can be read, but not changed.' };

/** What the core answers for one command: refused, or the state after it and its events. */
export type StepOutcome = { ok: false; error: Rejection } | { ok: true; state: SimState; events: readonly SimEvent[] };

/** Outcome of one command: refused (nothing stored), or applied with the state after it. */
export type Outcome = StepOutcome | { ok: false; error: EndedRefusal };

/** One committed change: the state right after it, its events, and the timeline ops it touched. */
export interface Committed {
  state: SimState;
  events: readonly SimEvent[];
  timeline: Timeline;
  timelineChanged: TimelineOp[];
}

/** When and why a session ended. */
export interface SessionEnd {
  at: number;
  reason: SessionEndReason;
}

export interface RuntimeHooks<R> {
  /**
   * Told of each committed change, in commit order, with the state right after it. Runs after the
   * current task, so the writer's ack goes out before the broadcast (validate, core, persist, ack,
   * broadcast).
   */
  onCommitted(runtime: R, change: Committed): void;
  onError(error: unknown): void;
  /** Told once when the session ends (SEC6), after the end is stored. */
  onEnded?(runtime: R): void;
  /** A session with no stored command for this long ends by itself (SEC6); absent: never. */
  idleMs?: number;
  /** A snapshot of the state is stored after this many new log entries, at most once per `ms` (REL1); absent: the defaults. */
  snapshotEvery?: { ops: number; ms: number };
}

/** By default a snapshot every 10K ops, at most one a minute: a restart replays at most that tail. */
export const SNAPSHOT_EVERY = { ops: 10_000, ms: 60_000 } as const;
