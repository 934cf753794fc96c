/**
 * One live session: the core's current state, the order commands are applied in, and the timer
 * that delivers replication messages when they are due. Every command goes
 * core -> store -> commit, one at a time, so what is acknowledged is what is stored (REL1).
 */
import type { LogEntry, ParticipantToken, SessionRecord, Store } from '../persistence/store.ts';
import {
  EMPTY_TIMELINE,
  createInitialState,
  nextDeliveryAt,
  recordTimeline,
  step,
  type Command,
  type Rejection,
  type SimEvent,
  type SimState,
  type Timeline,
  type TimelineOp,
} from '../sim/index.ts';

export type Clock = () => number;

/** Outcome of one command: refused (nothing stored), or applied with the state after it. */
export type Outcome = { ok: false; error: Rejection } | { ok: true; state: SimState; events: readonly SimEvent[] };

/** One committed change: the state right after it, its events, and the timeline ops it touched. */
export interface Committed {
  state: SimState;
  events: readonly SimEvent[];
  timeline: Timeline;
  timelineChanged: TimelineOp[];
}

export interface RuntimeHooks {
  /**
   * Told of each committed change, in commit order, with the state right after it. Runs after the
   * current task, so the writer's ack goes out before the broadcast (validate, core, persist, ack,
   * broadcast).
   */
  onCommitted(runtime: SessionRuntime, change: Committed): void;
  onError(error: unknown): void;
}

export class SessionRuntime {
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Sockets per participant: a person with two tabs is online until both close. */
  readonly presence = new Map<string, number>();

  private constructor(
    readonly record: SessionRecord,
    private current: SimState,
    private history: Timeline,
    private nextSeq: number,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hooks: RuntimeHooks,
  ) {}

  /** A new session, or one rebuilt from its stored log (restart recovery, REL1). */
  static fromLog(record: SessionRecord, log: readonly LogEntry[], store: Store, clock: Clock, hooks: RuntimeHooks): SessionRuntime {
    let state = createInitialState(record.seed);
    let timeline = EMPTY_TIMELINE;
    for (const entry of log) {
      const result = step(state, entry.command, { now: entry.at });
      if (result.ok) {
        state = result.state;
        timeline = recordTimeline(timeline, result.events, state).timeline;
      } else hooks.onError(new Error(`session ${record.code}: stored command ${entry.seq} no longer applies: ${result.error.message}`));
    }
    const runtime = new SessionRuntime(record, state, timeline, log.length, store, clock, hooks);
    // Messages that were in flight when the server stopped are delivered now, or when due.
    runtime.tick();
    return runtime;
  }

  get state(): SimState {
    return this.current;
  }

  /** The space-time diagram so far: a projection of the events, rebuilt by replay. */
  get timeline(): Timeline {
    return this.history;
  }

  get code(): string {
    return this.record.code;
  }

  isOnline(participantId: string): boolean {
    return (this.presence.get(participantId) ?? 0) > 0;
  }

  /**
   * Applies a command: core, then store, then commit and broadcast. Resolves after the entry is
   * durable. A command that changes nothing (a retried op id, a repeated join) is not stored.
   */
  execute(command: Command, key: string, token?: ParticipantToken): Promise<Outcome> {
    return this.enqueue(async () => {
      const at = Math.max(this.clock(), this.current.now);
      const result = step(this.current, command, { now: at });
      if (!result.ok) return result;
      const changed = result.events.some((e) => !(e.type === 'op.applied' && !e.local));
      if (!changed) {
        // Only deliveries happened: the command was a no-op (a retry, a repeated join). Keep them.
        this.commit(result.state, result.events);
        return result;
      }
      await this.store.append(this.record.id, { seq: this.nextSeq, key, at, command }, token);
      this.nextSeq += 1;
      this.commit(result.state, result.events);
      return result;
    });
  }

  /** Delivers what is due now. Ticks are never stored: any later command re-derives them. */
  tick(): void {
    void this.enqueue(() => {
      const result = step(this.current, { type: 'tick' }, { now: Math.max(this.clock(), this.current.now) });
      if (result.ok) this.commit(result.state, result.events);
      else this.schedule();
      return Promise.resolve();
    });
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private commit(state: SimState, events: readonly SimEvent[]): void {
    this.current = state;
    if (events.length > 0) {
      const recorded = recordTimeline(this.history, events, state);
      this.history = recorded.timeline;
      const change: Committed = { state, events, timeline: recorded.timeline, timelineChanged: recorded.changed };
      setImmediate(() => this.hooks.onCommitted(this, change));
    }
    this.schedule();
  }

  /** Arms one timer for the next message due on the link. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.closed) return;
    const due = nextDeliveryAt(this.current);
    if (due === null) return;
    this.timer = setTimeout(() => this.tick(), Math.max(0, due - this.clock()));
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch((error: unknown) => this.hooks.onError(error));
    return run;
  }
}
