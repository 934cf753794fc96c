/**
 * One live session: the core's current state, the order commands are applied in, and the timer
 * that delivers replication messages when they are due. Every command goes core -> store ->
 * commit, in arrival order, so what is acknowledged is what is stored (REL1). Commands that queue
 * up while the store is writing are stored together in one transaction (group commit): one sync
 * for the burst instead of one per write, and still no ack before its entry is durable.
 */
import type { BatchResult, LogEntry, ParticipantToken, PendingEntry, SessionEndReason, SessionRecord, StateSnapshot, Store } from '../persistence/store.ts';
import {
  createInitialState,
  nextDeliveryAt,
  ownCollections,
  recordTimeline,
  releaseCollections,
  replayStep,
  snapshotOf,
  stateFromSnapshot,
  startIncident,
  step,
  timelineRecorder,
  type JsonValue,
  type Command,
  type IncidentSummary,
  type Rejection,
  type SimEvent,
  type SimState,
  type Timeline,
  type TimelineOp,
} from '../sim/index.ts';
import { FeedIndex } from './feed-index.ts';

export type Clock = () => number;

/** A refusal of the runtime's own, not the core's: the session has ended and is read-only (SEC6). */
export interface EndedRefusal {
  readonly code: 'ended';
  readonly message: string;
}

/** Outcome of one command: refused (nothing stored), or applied with the state after it. */
export type Outcome = { ok: false; error: Rejection | EndedRefusal } | { ok: true; state: SimState; events: readonly SimEvent[] };

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
  /** Told once when the session ends (SEC6), after the end is stored. */
  onEnded?(runtime: SessionRuntime): void;
  /** A session with no stored command for this long ends by itself (SEC6); absent: never. */
  idleMs?: number;
  /** A snapshot of the state is stored after this many new log entries, at most once per `ms` (REL1); absent: the defaults. */
  snapshotEvery?: { ops: number; ms: number };
}

/** By default a snapshot every 10K ops, at most one a minute: a restart replays at most that tail. */
export const SNAPSHOT_EVERY = { ops: 10_000, ms: 60_000 } as const;

/** What a stored snapshot holds: the core's state and the timeline (a projection, rebuilt by replay otherwise). */
interface SnapshotBody {
  state: JsonValue;
  timeline: Timeline;
  lastActivity: number;
}

/** Where a restore starts: a stored snapshot (the state after entry `seq`), or nothing (the whole log). */
interface Base {
  state: SimState;
  timeline: Timeline;
  lastActivity: number;
  seq: number;
}

/** Reads a stored snapshot; null (and the whole log is replayed) when it is of another version or unreadable. */
function baseOf(snapshot: StateSnapshot | null, onError: (error: unknown) => void): Base | null {
  if (!snapshot) return null;
  try {
    const body = JSON.parse(snapshot.state) as SnapshotBody;
    return { state: stateFromSnapshot(body.state), timeline: body.timeline, lastActivity: body.lastActivity, seq: snapshot.seq };
  } catch (error) {
    onError(new Error(`snapshot at seq ${snapshot.seq} not used, replaying the whole log: ${error instanceof Error ? error.message : String(error)}`));
    return null;
  }
}

/** When and why a session ended. */
export interface SessionEnd {
  at: number;
  reason: SessionEndReason;
}

/** A session whose stored log cannot be replayed: one line with its join code (REL4). */
export class SessionRestoreError extends Error {
  constructor(
    readonly code: string,
    cause: unknown,
  ) {
    super(`session ${code} is not served: its stored log cannot be read or replayed (${(cause instanceof Error ? cause.message : String(cause)).replace(/\s+/g, ' ')})`);
    this.name = 'SessionRestoreError';
  }
}

/** The most commands one transaction stores; a longer queue is written in several. */
const MAX_BATCH = 256;

const ENDED: EndedRefusal = { code: 'ended', message: 'This session has ended: it can be read, but not changed.' };

interface CommandJob {
  kind: 'command';
  command: Command;
  key: string;
  token: ParticipantToken | undefined;
  resolve(outcome: Outcome): void;
  reject(error: unknown): void;
}

interface TaskJob {
  kind: 'task';
  run(): Promise<void> | void;
  resolve(): void;
  reject(error: unknown): void;
}

/** A command that changes something is stored; one whose only effects are deliveries (a retry, a repeated join) is not. */
const changesSomething = (events: readonly SimEvent[]) => events.some((e) => !(e.type === 'op.applied' && !e.local));

export class SessionRuntime {
  private readonly jobs: (CommandJob | TaskJob)[] = [];
  private draining = false;
  private tickQueued = false;
  private timer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private ending: SessionEnd | null;
  /** Sockets per participant: a person with two tabs is online until both close. */
  readonly presence = new Map<string, number>();
  /** The feeds' windows (newest threads per side), kept as commits land. */
  readonly feed: FeedIndex;
  /** The seq and time of the last stored snapshot (REL1). */
  private snapshotSeq = -1;
  private snapshotAt = 0;
  private snapshotQueued = false;
  /** The simulated students' participant ids (BOT1): the roster marks them; never stored, so a restart stops them. */
  readonly bots = new Set<string>();
  /** What the last incident replayed wrote, for the counts panel; null after a reset. */
  private lastIncident: IncidentSummary | null = null;

  private constructor(
    readonly record: SessionRecord,
    private current: SimState,
    private history: Timeline,
    private nextSeq: number,
    /** Server time of the last stored command (or of creation): idle expiry counts from here. */
    private lastActivity: number,
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly hooks: RuntimeHooks,
  ) {
    this.ending = record.endedAt === undefined ? null : { at: record.endedAt, reason: record.endReason ?? 'instructor' };
    this.feed = new FeedIndex(current);
    this.snapshotAt = clock();
  }

  /**
   * A new session, or one rebuilt from a log (restart recovery, REL1). `nextSeq` defaults to the
   * log's highest seq + 1; a throw from the core escapes (see `load`).
   */
  static fromLog(record: SessionRecord, log: readonly LogEntry[], store: Store, clock: Clock, hooks: RuntimeHooks, nextSeq?: number, base: Base | null = null): SessionRuntime {
    // The replay owns its state, so the core changes its maps in place (PERF1); released at the end.
    let state = ownCollections(base?.state ?? createInitialState(record.seed));
    const timeline = timelineRecorder(base?.timeline);
    let lastActivity = base?.lastActivity ?? record.createdAt;
    let maxSeq = base?.seq ?? -1;
    for (const entry of log) {
      if (entry.seq <= (base?.seq ?? -1)) continue;
      const result = replayStep(state, entry.command, { now: entry.at });
      state = result.state;
      if (result.events.length > 0) timeline.add(result.events, state);
      if (result.error) hooks.onError(new Error(`session ${record.code}: stored command ${entry.seq} no longer applies: ${result.error.message}`));
      lastActivity = Math.max(lastActivity, entry.at);
      maxSeq = Math.max(maxSeq, entry.seq);
    }
    const runtime = new SessionRuntime(record, releaseCollections(state), timeline.timeline(), nextSeq ?? maxSeq + 1, lastActivity, store, clock, hooks);
    if (base) runtime.snapshotSeq = base.seq;
    // Messages that were in flight when the server stopped are delivered now, or when due.
    runtime.tick();
    runtime.armIdle();
    return runtime;
  }

  /**
   * Rebuilds a stored session: its newest snapshot plus the log after it (or the whole log), the
   * next seq from the stored maximum (REL4), and
   * ended at once if it has been idle too long (SEC6). A log that cannot be read, or that the core
   * throws on, rejects with a SessionRestoreError, so the caller can report it and serve every
   * other session.
   */
  static async load(record: SessionRecord, store: Store, clock: Clock, hooks: RuntimeHooks): Promise<SessionRuntime> {
    let runtime: SessionRuntime;
    try {
      const base = baseOf(await store.loadSnapshot(record.id), (error) => hooks.onError(error));
      const [log, nextSeq] = await Promise.all([store.readLog(record.id, base ? base.seq + 1 : 0), store.nextSeq(record.id)]);
      runtime = SessionRuntime.fromLog(record, log, store, clock, hooks, nextSeq, base);
    } catch (error) {
      throw new SessionRestoreError(record.code, error);
    }
    if (runtime.idleExpired()) await runtime.end('idle');
    return runtime;
  }

  get state(): SimState {
    return this.current;
  }

  /** The space-time diagram so far: a projection of the events, rebuilt by replay. */
  get timeline(): Timeline {
    return this.history;
  }

  get incident(): IncidentSummary | null {
    return this.lastIncident;
  }

  get code(): string {
    return this.record.code;
  }

  /** Set once the session has ended (SEC6): from then on it is read-only. */
  get ended(): SessionEnd | null {
    return this.ending;
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
    return new Promise<Outcome>((resolve, reject) => {
      this.push({ kind: 'command', command, key, token, resolve, reject });
    });
  }

  /**
   * The incident (INC1, INC2) in chunks of `chunk` script steps, yielding to the event loop between
   * them so every other session keeps being served; this session's queue waits, one command at a
   * time as always. The chunks give the state `step` gives at once (the core's `startIncident`),
   * so the log stores the one command and a replay of the log regenerates the same history.
   */
  replayIncident(command: Extract<Command, { type: 'incident.replay' }>, key: string, progress: (phase: 'generating' | 'storing', done: number, total: number) => void, chunk = 5000): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.run(async () => {
        if (this.ending) return resolve({ ok: false, error: ENDED });
        const at = Math.max(this.clock(), this.current.now);
        const started = startIncident(this.current, command, at);
        if (!started.ok) return resolve(started);
        let state = started.state;
        for (;;) {
          const step = started.run.advance(state, chunk);
          state = step.state;
          progress('generating', step.applied, step.total);
          if (step.done) {
            progress('storing', 0, 1);
            const answer = await this.store.appendMany(this.record.id, [{ entry: { seq: this.nextSeq, key, at, command } }]);
            if (!answer.stored) return resolve({ ok: true, state: this.current, events: [] });
            this.nextSeq += 1;
            this.lastActivity = Math.max(this.lastActivity, at);
            this.commit(state, step.events);
            this.schedule();
            this.armIdle();
            progress('storing', 1, 1);
            return resolve({ ok: true, state, events: step.events });
          }
          await new Promise<void>((next) => setImmediate(next));
        }
      }).catch(reject);
    });
  }

  /** Ends the session (SEC6), stored before it takes effect; ending an ended session changes nothing. */
  end(reason: SessionEndReason): Promise<void> {
    return this.run(async () => {
      if (this.ending) return;
      const at = this.clock();
      await this.store.endSession(this.record.id, at, reason);
      this.ending = { at, reason };
      this.clearIdle();
      this.hooks.onEnded?.(this);
    });
  }

  /** Delivers what is due now. Ticks are never stored: any later command re-derives them. */
  tick(): void {
    if (this.tickQueued) return;
    this.tickQueued = true;
    void this.run(() => {
      this.tickQueued = false;
      const result = step(this.current, { type: 'tick' }, { now: Math.max(this.clock(), this.current.now) });
      if (result.ok) this.commit(result.state, result.events);
      this.schedule();
    }).catch((error: unknown) => this.hooks.onError(error));
  }

  /**
   * Stores a snapshot of the state as of the last stored entry (REL1): a restart loads it and
   * replays only the entries after it. Runs in the command queue, so state and seq agree; it costs
   * one serialisation of the session, which is why it is periodic and not per op.
   */
  snapshot(): Promise<void> {
    return this.run(async () => {
      this.snapshotQueued = false;
      const seq = this.nextSeq - 1;
      if (seq <= this.snapshotSeq) return;
      const body: SnapshotBody = { state: snapshotOf(this.current), timeline: this.history, lastActivity: this.lastActivity };
      await this.store.saveSnapshot(this.record.id, { seq, at: this.clock(), state: JSON.stringify(body) });
      this.snapshotSeq = seq;
      this.snapshotAt = this.clock();
    });
  }

  /** Queues a snapshot once enough has been stored since the last one, and not too soon after it. */
  private maybeSnapshot(): void {
    const every = this.hooks.snapshotEvery ?? SNAPSHOT_EVERY;
    if (this.snapshotQueued || this.nextSeq - 1 - this.snapshotSeq < every.ops || this.clock() - this.snapshotAt < every.ms) return;
    this.snapshotQueued = true;
    setImmediate(() => {
      this.snapshot().catch((error: unknown) => this.hooks.onError(error));
    });
  }

  /** Resolves once every command queued so far is stored and answered (graceful shutdown). */
  async settle(): Promise<void> {
    while (this.draining || this.jobs.length > 0) await this.run(() => {});
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.clearIdle();
  }

  private run(task: () => Promise<void> | void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.push({ kind: 'task', run: task, resolve, reject });
    });
  }

  private push(job: CommandJob | TaskJob): void {
    this.jobs.push(job);
    if (!this.draining) void this.drain();
  }

  /** Runs the queue in order; consecutive commands go to the store as one batch. */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.jobs.length > 0) {
        const first = this.jobs[0]!;
        if (first.kind === 'task') {
          this.jobs.shift();
          try {
            await first.run();
            first.resolve();
          } catch (error) {
            first.reject(error);
          }
          continue;
        }
        let n = 1;
        while (n < this.jobs.length && n < MAX_BATCH && this.jobs[n]!.kind === 'command') n += 1;
        await this.runBatch(this.jobs.splice(0, n) as CommandJob[]);
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * Steps each command on the state the previous one left, stores every change in one transaction,
   * then commits and answers them in order. If the store fails, nothing is committed and every
   * command of the batch fails: the state is as before, and no one is told "ok" (REL1).
   */
  private async runBatch(batch: readonly CommandJob[]): Promise<void> {
    if (this.ending) {
      for (const job of batch) job.resolve({ ok: false, error: ENDED });
      return;
    }
    let state = this.current;
    let seq = this.nextSeq;
    const staged: PendingEntry[] = [];
    const stepped: { job: CommandJob; outcome: Outcome }[] = [];
    for (const job of batch) {
      const at = Math.max(this.clock(), state.now);
      let result;
      try {
        result = step(state, job.command, { now: at });
      } catch (error) {
        job.reject(error);
        continue;
      }
      stepped.push({ job, outcome: result });
      if (!result.ok) continue;
      state = result.state;
      if (changesSomething(result.events)) {
        staged.push({ entry: { seq, key: job.key, at, command: job.command }, ...(job.token ? { token: job.token } : {}) });
        seq += 1;
      }
    }
    let answer: BatchResult;
    try {
      answer = await this.store.appendMany(this.record.id, staged);
    } catch (error) {
      for (const { job } of stepped) job.reject(error);
      return;
    }
    if (!answer.stored) {
      if (stepped.length === 1) {
        // The store already holds this key: the command is in the log and in the state.
        stepped[0]!.job.resolve({ ok: true, state: this.current, events: [] });
        return;
      }
      // Each later command was stepped on a state that counted the duplicate: redo them one by one.
      for (const { job } of stepped) await this.runBatch([job]);
      return;
    }
    this.nextSeq = seq;
    if (staged.length > 0) this.lastActivity = Math.max(this.lastActivity, ...staged.map((p) => p.entry.at));
    for (const { outcome } of stepped) if (outcome.ok) this.commit(outcome.state, outcome.events);
    this.schedule();
    if (staged.length > 0) {
      this.armIdle();
      this.maybeSnapshot();
    }
    for (const { job, outcome } of stepped) job.resolve(outcome);
  }

  private commit(state: SimState, events: readonly SimEvent[]): void {
    this.current = state;
    for (const event of events) {
      if (event.type === 'incident.replayed') this.lastIncident = event.summary;
      else if (event.type === 'session.reset') this.lastIncident = null;
    }
    if (events.length > 0) {
      this.feed.observe(state, events);
      const recorded = recordTimeline(this.history, events, state);
      this.history = recorded.timeline;
      const change: Committed = { state, events, timeline: recorded.timeline, timelineChanged: recorded.changed };
      setImmediate(() => this.hooks.onCommitted(this, change));
    }
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

  private idleExpired(): boolean {
    return this.hooks.idleMs !== undefined && !this.ending && this.clock() - this.lastActivity >= this.hooks.idleMs;
  }

  /** One timer per session for idle expiry; it never keeps the process alive. */
  private armIdle(): void {
    this.clearIdle();
    const idleMs = this.hooks.idleMs;
    if (idleMs === undefined || this.ending || this.closed) return;
    const wait = Math.min(2 ** 31 - 1, Math.max(0, this.lastActivity + idleMs - this.clock()));
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.idleExpired()) this.end('idle').catch((error: unknown) => this.hooks.onError(error));
      else this.armIdle();
    }, wait);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
