/**
 * A live session's side of the store: the next seq, the time of the last stored command (idle
 * expiry counts from it, SEC6), and when the next state snapshot is due (REL1). Appends go
 * through here so those three never disagree with what is durable.
 */
import type { PendingEntry, SessionEndReason, Store } from '../persistence/store.ts';
import { SNAPSHOT_EVERY, type Clock } from './runtime-types.ts';
import type { Loaded } from './session-restore.ts';

export class SessionLog {
  /** The seq the next stored entry gets. */
  nextSeq: number;
  /** Server time of the last stored command (or of creation). */
  lastActivity: number;
  /** The seq and time of the last stored snapshot. */
  private snapshotSeq: number;
  private snapshotAt: number;
  private snapshotAsked = false;

  constructor(
    private readonly store: Store,
    private readonly sessionId: string,
    private readonly clock: Clock,
    restored: Loaded,
    private readonly told: {
      /** A snapshot is due; not told again until `snapshot` has run. */
      snapshotDue(): void;
      /** Entries were stored. */
      stored(): void;
    },
    private readonly every: { ops: number; ms: number } = SNAPSHOT_EVERY,
  ) {
    ({ nextSeq: this.nextSeq, lastActivity: this.lastActivity, snapshotSeq: this.snapshotSeq } = restored);
    this.snapshotAt = clock();
  }

  /**
   * Stores entries numbered from `nextSeq` in one transaction. False when the store already
   * holds the first one's key (a retry, REL4): nothing is stored then.
   */
  async append(staged: readonly PendingEntry[]): Promise<boolean> {
    const answer = await this.store.appendMany(this.sessionId, staged);
    if (!answer.stored) return false;
    this.nextSeq += staged.length;
    if (staged.length === 0) return true;
    for (const pending of staged) this.lastActivity = Math.max(this.lastActivity, pending.entry.at);
    this.told.stored();
    if (!this.snapshotAsked && this.snapshotDue()) {
      this.snapshotAsked = true;
      setImmediate(() => this.told.snapshotDue());
    }
    return true;
  }

  /** Stores the session's end (SEC6). */
  end(at: number, reason: SessionEndReason): Promise<void> {
    return this.store.endSession(this.sessionId, at, reason);
  }

  /** Enough has been stored since the last snapshot, and not too soon after it. */
  private snapshotDue(): boolean {
    return this.nextSeq - 1 - this.snapshotSeq >= this.every.ops && this.clock() - this.snapshotAt >= this.every.ms;
  }

  /** Stores a snapshot as of the last stored entry, unless there is one already. */
  async snapshot(body: () => string): Promise<void> {
    this.snapshotAsked = false;
    const seq = this.nextSeq - 1;
    if (seq <= this.snapshotSeq) return;
    await this.store.saveSnapshot(this.sessionId, { seq, at: this.clock(), state: body() });
    this.snapshotSeq = seq;
    this.snapshotAt = this.clock();
  }
}
