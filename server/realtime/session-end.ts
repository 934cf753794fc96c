/**
 * How a session ends (SEC6): the instructor ends it, or it ends by itself after `idleMs` without a
 * stored command. The end is stored before it takes effect; from then on the session is read-only.
 */
import type { SessionEndReason, SessionRecord } from '../persistence/store.ts';
import type { Clock, SessionEnd } from './runtime-types.ts';
import type { SessionLog } from './session-log.ts';
import { IdleExpiry } from './session-timers.ts';

export class SessionEnding {
  private ending: SessionEnd | null;
  private readonly idle: IdleExpiry;
  private closed = false;

  constructor(
    record: SessionRecord,
    private readonly log: SessionLog,
    /** Runs a task in the session's queue, after every command queued before it. */
    private readonly inQueue: (task: () => Promise<void>) => Promise<void>,
    private readonly clock: Clock,
    idleMs: number | undefined,
    private readonly onEnded: () => void,
    onError: (error: unknown) => void,
  ) {
    this.ending = record.endedAt === undefined ? null : { at: record.endedAt, reason: record.endReason ?? 'instructor' };
    this.idle = new IdleExpiry(clock, idleMs, () => log.lastActivity, () => void this.end('idle').catch(onError));
  }

  get ended(): SessionEnd | null {
    return this.ending;
  }

  /** It has idled too long and is not ended yet. */
  idleExpired(): boolean {
    return !this.ending && this.idle.expired();
  }

  /** Something was stored: the idle time counts from it. */
  touched(): void {
    if (this.ending || this.closed) this.idle.clear();
    else this.idle.arm();
  }

  /** Ends the session; ending an ended session changes nothing. */
  end(reason: SessionEndReason): Promise<void> {
    return this.inQueue(async () => {
      if (this.ending) return;
      const at = this.clock();
      await this.log.end(at, reason);
      this.ending = { at, reason };
      this.idle.clear();
      this.onEnded();
    });
  }

  close(): void {
    this.closed = true;
    this.idle.clear();
  }
}
