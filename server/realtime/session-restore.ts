/**
 * How a stored session comes back (REL1, REL4): its newest snapshot, if one is readable, then the
 * log after it replayed on maps the replay owns (PERF1). A log that cannot be read or replayed is
 * a SessionRestoreError naming the session, so the caller reports it and serves the others.
 */
import type { LogEntry, SessionRecord, StateSnapshot, Store } from '../persistence/store.ts';
import {
  createInitialState,
  ownCollections,
  releaseCollections,
  replayStep,
  snapshotOf,
  stateFromSnapshot,
  timelineRecorder,
  type JsonValue,
  type SimState,
  type Timeline,
} from '../sim/index.ts';

/** What a stored snapshot holds: the core's state and the timeline (a projection, rebuilt by replay otherwise). */
interface SnapshotBody {
  state: JsonValue;
  timeline: Timeline;
  lastActivity: number;
}

/** A session's state after a stored prefix of its log: after entry `seq` (-1: nothing replayed yet). */
export interface Restored {
  state: SimState;
  timeline: Timeline;
  /** Server time of the last stored command (or of creation): idle expiry counts from here. */
  lastActivity: number;
  seq: number;
}

/** A session ready to serve: its state, the seq its next entry gets, and the seq of the snapshot it came from (-1: none). */
export interface Loaded extends Restored {
  nextSeq: number;
  snapshotSeq: number;
}

/**
 * A stored session: its newest snapshot plus the log after it (or the whole log), and the next seq
 * from the stored maximum (REL4). A log that cannot be read, or that the core throws on, rejects
 * with a SessionRestoreError.
 */
export async function loadStored(record: SessionRecord, store: Store, onError: (error: unknown) => void): Promise<Loaded> {
  try {
    const base = baseOf(await store.loadSnapshot(record.id), onError);
    const [log, nextSeq] = await Promise.all([store.readLog(record.id, base ? base.seq + 1 : 0), store.nextSeq(record.id)]);
    return { ...replayLog(record, log, base, onError), nextSeq, snapshotSeq: base?.seq ?? -1 };
  } catch (error) {
    throw new SessionRestoreError(record.code, error);
  }
}

/** The stored form of a snapshot's body. */
export function snapshotBody(state: SimState, timeline: Timeline, lastActivity: number): string {
  const body: SnapshotBody = { state: snapshotOf(state), timeline, lastActivity };
  return JSON.stringify(body);
}

/** Reads a stored snapshot; null (and the whole log is replayed) when it is of another version or unreadable. */
function baseOf(snapshot: StateSnapshot | null, onError: (error: unknown) => void): Restored | null {
  if (!snapshot) return null;
  try {
    const body = JSON.parse(snapshot.state) as SnapshotBody;
    return { state: stateFromSnapshot(body.state), timeline: body.timeline, lastActivity: body.lastActivity, seq: snapshot.seq };
  } catch (error) {
    onError(new Error(`snapshot at seq ${snapshot.seq} not used, replaying the whole log: ${error instanceof Error ? error.message : String(error)}`));
    return null;
  }
}

/**
 * Replays the log entries after `base` (or from a new session). A stored command the core now
 * refuses is reported and skipped; a throw from the core escapes.
 */
export function replayLog(record: SessionRecord, log: readonly LogEntry[], base: Restored | null, onError: (error: unknown) => void): Restored {
  // The replay owns its state, so the core changes its maps in place (PERF1); released at the end.
  let state = ownCollections(base?.state ?? createInitialState(record.seed));
  const timeline = timelineRecorder(base?.timeline);
  let lastActivity = base?.lastActivity ?? record.createdAt;
  let seq = base?.seq ?? -1;
  for (const entry of log) {
    if (entry.seq <= (base?.seq ?? -1)) continue;
    const result = replayStep(state, entry.command, { now: entry.at });
    state = result.state;
    if (result.events.length > 0) timeline.add(result.events, state);
    if (result.error) onError(new Error(`session ${record.code}: stored command ${entry.seq} no longer applies: ${result.error.message}`));
    lastActivity = Math.max(lastActivity, entry.at);
    seq = Math.max(seq, entry.seq);
  }
  return { state: releaseCollections(state), timeline: timeline.timeline(), lastActivity, seq };
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
