/**
 * The two timers of a live session: the next replication message due on the link, and idle
 * expiry (SEC6). Neither decides anything: they call back, and the runtime's queue does the work.
 */
import type { Clock } from './runtime-types.ts';

/** One timer at a time, re-armed to a new moment; `unref` timers never keep the process alive. */
export class Alarm {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly fire: () => void,
    private readonly unref = false,
  ) {}

  /** Rings at `at` (server time), or never when null; replaces any earlier setting. */
  set(at: number | null): void {
    this.clear();
    if (at === null || this.stopped) return;
    const wait = Math.min(2 ** 31 - 1, Math.max(0, at - this.clock()));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fire();
    }, wait);
    if (this.unref) this.timer.unref();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Clears it for good: later settings are ignored. */
  stop(): void {
    this.stopped = true;
    this.clear();
  }
}

/** Idle expiry (SEC6): a session with no stored command for `idleMs` ends by itself; absent: never. */
export class IdleExpiry {
  private readonly alarm: Alarm;

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number | undefined,
    /** Server time of the last stored command (or of creation). */
    private readonly lastActivity: () => number,
    onIdle: () => void,
  ) {
    this.alarm = new Alarm(clock, () => (this.expired() ? onIdle() : this.arm()), true);
  }

  expired(): boolean {
    return this.idleMs !== undefined && this.clock() - this.lastActivity() >= this.idleMs;
  }

  /** Rings `idleMs` after the last activity (re-armed after each one). */
  arm(): void {
    this.alarm.set(this.idleMs === undefined ? null : this.lastActivity() + this.idleMs);
  }

  clear(): void {
    this.alarm.clear();
  }
}
