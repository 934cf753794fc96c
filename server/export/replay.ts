/**
 * The session at any moment is what the core reaches from a prefix of its log (SCR1). A scrub
 * replays from the nearest in-memory checkpoint, kept every K entries as they are first replayed
 * (a state is persistent, so a checkpoint costs what the steps between two of them changed), so it
 * replays at most K commands. The log is append-only: a checkpoint of a prefix stays true.
 */
import type { LogEntry } from '../persistence/store.ts';
import { EMPTY_TIMELINE, createInitialState, recordTimeline, step, type SimEvent, type SimState, type Timeline } from '../sim/index.ts';

/** Entries between two checkpoints: the most a scrub replays. */
export const CHECKPOINT_EVERY = 256;

export interface Moment {
  /** How many entries of the log it has applied. */
  readonly count: number;
  readonly state: SimState;
  readonly timeline: Timeline;
}

/** Steps one entry; a refused one changes nothing, as at restart. */
function advance(moment: Moment, entry: LogEntry, onEvents?: (events: readonly SimEvent[], entry: LogEntry) => void): Moment {
  const result = step(moment.state, entry.command, { now: entry.at });
  if (!result.ok) return { ...moment, count: moment.count + 1 };
  onEvents?.(result.events, entry);
  return { count: moment.count + 1, state: result.state, timeline: recordTimeline(moment.timeline, result.events, result.state).timeline };
}

/** Replays a whole log from a fresh core, telling `onEvents` what each entry did. */
export function replayLog(seed: number, log: readonly LogEntry[], onEvents?: (events: readonly SimEvent[], entry: LogEntry) => void): Moment {
  let moment: Moment = { count: 0, state: createInitialState(seed), timeline: EMPTY_TIMELINE };
  for (const entry of log) moment = advance(moment, entry, onEvents);
  return moment;
}

/** How many entries were accepted at or before `at` (the log's times never go back). */
export function countAt(log: readonly LogEntry[], at: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (log[mid]!.at <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One session's checkpoints. */
export class Checkpoints {
  private readonly kept: Moment[];

  constructor(
    readonly seed: number,
    readonly every = CHECKPOINT_EVERY,
  ) {
    this.kept = [{ count: 0, state: createInitialState(seed), timeline: EMPTY_TIMELINE }];
  }

  /** The state after the first `count` entries of `log`, then what was due by `at` delivered. */
  at(log: readonly LogEntry[], count: number, at: number): Moment {
    const n = Math.min(count, log.length);
    let moment = this.kept[Math.min(Math.floor(n / this.every), this.kept.length - 1)]!;
    while (moment.count < n) {
      moment = advance(moment, log[moment.count]!);
      if (moment.count % this.every === 0 && moment.count / this.every === this.kept.length) this.kept.push(moment);
    }
    const due = step(moment.state, { type: 'tick' }, { now: Math.max(at, moment.state.now) });
    if (!due.ok || due.events.length === 0) return moment;
    return { count: moment.count, state: due.state, timeline: recordTimeline(moment.timeline, due.events, due.state).timeline };
  }

  /** Checkpoints held, for the benchmark. */
  get size(): number {
    return this.kept.length;
  }
}
