/**
 * One live session: the core's current state and the one order its commands are applied in: core
 * -> store -> commit, so what is acknowledged is what is stored (REL1). Commands that queue up while
 * the store writes are stepped and stored together (group commit: job-queue.ts, session-batch.ts).
 * Beside it: session-log.ts (seqs, snapshots), session-restore.ts (restart), session-end.ts (SEC6),
 * session-projections.ts (feeds, timeline), session-timers.ts (the next delivery, idle expiry).
 */
import type { LogEntry, ParticipantToken, SessionEndReason, SessionRecord, Store } from '../persistence/store.ts';
import { nextDeliveryAt, step, type Command, type IncidentSummary, type SimEvent, type SimState, type Timeline } from '../sim/index.ts';
import type { FeedIndex } from './feed-index.ts';
import { JobQueue } from './job-queue.ts';
import { ENDED, type Clock, type Outcome, type RuntimeHooks as Hooks, type SessionEnd, type StepOutcome } from './runtime-types.ts';
import { stepBatch, type Job, type Submitted } from './session-batch.ts';
import { SessionEnding } from './session-end.ts';
import { SessionLog } from './session-log.ts';
import { Projections } from './session-projections.ts';
import { loadStored, replayLog, snapshotBody, type Loaded } from './session-restore.ts';
import { Alarm } from './session-timers.ts';

export type { Clock, Committed, EndedRefusal, Outcome, SessionEnd, StepOutcome } from './runtime-types.ts';
export { SNAPSHOT_EVERY } from './runtime-types.ts';
export { SessionRestoreError } from './session-restore.ts';
export type RuntimeHooks = Hooks<SessionRuntime>;

export class SessionRuntime {
  private readonly queue = new JobQueue<Submitted, Outcome>((batch) => this.runBatch(batch));
  private readonly log: SessionLog;
  private readonly seen: Projections;
  private readonly ending: SessionEnding;
  private readonly delivery: Alarm;
  private tickQueued = false;
  private current: SimState;
  /** Sockets per participant: a person with two tabs is online until both close. */
  readonly presence = new Map<string, number>();
  /** The simulated students' participant ids (BOT1): the roster marks them; never stored, so a restart stops them. */
  readonly bots = new Set<string>();

  private constructor(
    readonly record: SessionRecord,
    restored: Loaded,
    store: Store,
    private readonly clock: Clock,
    private readonly hooks: RuntimeHooks,
  ) {
    this.current = restored.state;
    this.seen = new Projections(restored.state, restored.timeline);
    const onError = (error: unknown) => this.hooks.onError(error);
    const told = { snapshotDue: () => void this.snapshot().catch(onError), stored: () => this.ending.touched() };
    this.log = new SessionLog(store, record.id, clock, restored, told, hooks.snapshotEvery);
    this.ending = new SessionEnding(record, this.log, (task) => this.queue.run(task), clock, hooks.idleMs, () => this.hooks.onEnded?.(this), onError);
    this.delivery = new Alarm(clock, () => this.tick());
    // Messages that were in flight when the server stopped are delivered now, or when due.
    this.tick();
    this.ending.touched();
  }

  /** A new session, or one rebuilt from a whole log (tests); a throw from the core escapes. */
  static fromLog(record: SessionRecord, log: readonly LogEntry[], store: Store, clock: Clock, hooks: RuntimeHooks): SessionRuntime {
    const restored = replayLog(record, log, null, (error) => hooks.onError(error));
    return new SessionRuntime(record, { ...restored, nextSeq: restored.seq + 1, snapshotSeq: -1 }, store, clock, hooks);
  }

  /**
   * Rebuilds a stored session (REL1, REL4: see session-restore.ts), ended at once if it has been
   * idle too long (SEC6). Rejects with a SessionRestoreError when its log cannot be replayed.
   */
  static async load(record: SessionRecord, store: Store, clock: Clock, hooks: RuntimeHooks): Promise<SessionRuntime> {
    const runtime = new SessionRuntime(record, await loadStored(record, store, (error) => hooks.onError(error)), store, clock, hooks);
    if (runtime.ending.idleExpired()) await runtime.end('idle');
    return runtime;
  }

  get state(): SimState {
    return this.current;
  }
  get code(): string {
    return this.record.code;
  }
  /** The feeds' windows, the space-time diagram and the last incident's counts (session-projections.ts). */
  get feed(): FeedIndex {
    return this.seen.feed;
  }
  get timeline(): Timeline {
    return this.seen.timeline;
  }
  get incident(): IncidentSummary | null {
    return this.seen.incident;
  }
  /** Set once the session has ended (SEC6): from then on it is read-only. */
  get ended(): SessionEnd | null {
    return this.ending.ended;
  }
  isOnline(participantId: string): boolean {
    return (this.presence.get(participantId) ?? 0) > 0;
  }

  /**
   * Applies a command: core, then store, then commit and broadcast. Resolves after the entry is
   * durable. A command that changes nothing (a retried op id, a repeated join) is not stored. A
   * command the store already holds under `key` is the retry it is: answered with the current
   * state, and the step's result is dropped, so nothing is applied or stored twice (REL4).
   */
  execute(command: Command, key: string, token?: ParticipantToken): Promise<Outcome> {
    return this.queue.command({ command, key, token });
  }

  /**
   * A command whose step is too big for one turn of the event loop (the incident, INC2): `compute`
   * yields between chunks so every other session keeps being served, while this session's queue
   * waits as always. The log stores the one command; a replay of it gives the state `compute` gave.
   */
  async executeInChunks(command: Command, key: string, compute: (state: SimState, at: number) => Generator<void, StepOutcome>): Promise<Outcome> {
    let outcome: Outcome = { ok: false, error: ENDED };
    await this.queue.run(async () => {
      if (this.ending.ended) return;
      const at = Math.max(this.clock(), this.current.now);
      const chunks = compute(this.current, at);
      let next = chunks.next();
      for (; !next.done; next = chunks.next()) await new Promise<void>((resume) => setImmediate(resume));
      outcome = next.value;
      if (!outcome.ok) return;
      if (!(await this.log.append([{ entry: { seq: this.log.nextSeq, key, at, command } }]))) return void (outcome = { ok: true, state: this.current, events: [] });
      this.commit([outcome]);
    });
    return outcome;
  }

  /** Ends the session (SEC6), stored before it takes effect; ending an ended session changes nothing. */
  end(reason: SessionEndReason): Promise<void> {
    return this.ending.end(reason);
  }

  /** Delivers what is due now. Ticks are never stored: any later command re-derives them. */
  tick(): void {
    if (this.tickQueued) return;
    this.tickQueued = true;
    void this.queue
      .run(() => {
        this.tickQueued = false;
        const result = step(this.current, { type: 'tick' }, { now: Math.max(this.clock(), this.current.now) });
        if (result.ok) this.commit([result]);
      })
      .catch((error: unknown) => this.hooks.onError(error));
  }

  /**
   * Stores a snapshot of the state as of the last stored entry (REL1): a restart loads it and
   * replays only the entries after it. Runs in the command queue, so state and seq agree; it costs
   * one serialisation of the session, which is why it is periodic and not per op.
   */
  snapshot(): Promise<void> {
    return this.queue.run(() => this.log.snapshot(() => snapshotBody(this.current, this.seen.timeline, this.log.lastActivity)));
  }

  /** Resolves once every command queued so far is stored and answered (graceful shutdown). */
  settle(): Promise<void> {
    return this.queue.settle();
  }

  close(): void {
    this.delivery.stop();
    this.ending.close();
  }

  /**
   * Steps each command on the state the previous one left, stores every change in one transaction,
   * then commits and answers them in order. If the store fails, nothing is committed and every
   * command of the batch fails: the state is as before, and no one is told "ok" (REL1).
   */
  private async runBatch(batch: readonly Job[]): Promise<void> {
    if (this.ending.ended) return batch.forEach((job) => job.resolve({ ok: false, error: ENDED }));
    const { stepped, staged } = stepBatch(this.current, batch, this.log.nextSeq, this.clock);
    let stored;
    try {
      stored = await this.log.append(staged);
    } catch (error) {
      return stepped.forEach(({ job }) => job.reject(error));
    }
    if (!stored) {
      // The store already holds this key: the command is in the log and in the state.
      if (stepped.length === 1) return stepped[0]!.job.resolve({ ok: true, state: this.current, events: [] });
      // Each later command was stepped on a state that counted the duplicate: redo them one by one.
      for (const { job } of stepped) await this.runBatch([job]);
      return;
    }
    this.commit(stepped.flatMap(({ outcome }) => (outcome.ok ? [outcome] : [])));
    for (const { job, outcome } of stepped) job.resolve(outcome);
  }

  /** The state moves on, change by change, each told after the current task; then the next delivery is re-armed once. */
  private commit(changes: readonly { state: SimState; events: readonly SimEvent[] }[]): void {
    for (const { state, events } of changes) {
      this.current = state;
      const change = this.seen.observe(state, events);
      if (change) setImmediate(() => this.hooks.onCommitted(this, change));
    }
    this.delivery.set(nextDeliveryAt(this.current));
  }
}
