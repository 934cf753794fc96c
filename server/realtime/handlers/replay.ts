/**
 * Replay domain: rewind a heal to heal the same history another way (RWD1), the attempts side by
 * side, and the session at any moment (SCR1). A rewind is a logged command like any other, so a
 * restart reproduces it; every screen follows it with a fresh snapshot (broadcast.ts). A scrub
 * is for viewing only: it replays the stored log beside the live session and changes nothing; the
 * Raft view at that moment is the consensus journal's replay (consensus-journal.ts).
 */
import { randomUUID } from 'node:crypto';
import { schemas, type AttemptView, type AttemptsView, type ScrubView } from '../../protocol/index.ts';
import { Checkpoints, countAt } from '../../export/replay.ts';
import type { HealAttempt, HealReport, SimState } from '../../sim/index.ts';
import { fail, forbidden, refused, type AppSocket, type Hub } from '../hub.ts';
import type { SessionRuntime } from '../session-runtime.ts';
import { adminOf, classViewOf } from '../presence.ts';
import { journalOf } from '../consensus-journal.ts';
import { momentView } from '../consensus-view.ts';
import { route } from '../route.ts';
import { healReportView } from '../report.ts';
import { divergenceView, feedView, inFlightView, linkView, settingsView, timelineView } from '../views.ts';

/** Rows of each list an attempt's report carries; its counts are whole. */
const REPORT_ROWS = 5;
/** Posts of each side a scrub shows: the newest. */
const SCRUB_WINDOW = 40;

const checkpoints = new WeakMap<SessionRuntime, Checkpoints>();

/** A report with each list cut to its first rows, before names are looked up. */
function cut(report: HealReport): HealReport {
  const rows = <T,>(list: readonly T[]) => list.slice(0, REPORT_ROWS);
  return {
    ...report,
    lost: rows(report.lost),
    duplicates: rows(report.duplicates),
    brokenThreads: rows(report.brokenThreads),
    phantomLikes: rows(report.phantomLikes),
    resurrected: rows(report.resurrected),
    likeMerges: rows(report.likeMerges),
    conflicts: rows(report.conflicts),
  };
}

function attemptView(state: SimState, a: HealAttempt): AttemptView {
  const r = a.report;
  return {
    index: a.index,
    strategy: a.strategy,
    at: a.at,
    counts: {
      lost: r.lost.length,
      duplicates: r.duplicates.length,
      conflicts: r.conflicts.length,
      brokenThreads: r.brokenThreads.length,
      resurrected: r.resurrected.length,
      phantomLikes: r.phantomLikes.length,
      likeMerges: r.likeMerges.length,
    },
    report: healReportView(state, cut(r)),
    replayed: a.replayed,
    refused: a.refused.map((x) => ({ kind: x.command.type, code: x.code, message: x.message })),
    rewound: a.rewound,
  };
}

/** The attempts on the current history, newest last. */
export function attemptsView(state: SimState): AttemptsView {
  const ledger = state.rewind;
  const last = ledger.lastHeal;
  const lastAttempt = ledger.attempts.last();
  return {
    attempts: ledger.attempts.map((a) => attemptView(state, a)).toArray(),
    rewindable: last ? { index: last.index, at: last.at, strategy: lastAttempt?.index === last.index ? lastAttempt.strategy : state.strategy } : null,
    queued: ledger.queued.size,
  };
}

/** The session at a moment: the stored log's prefix replayed from the nearest checkpoint. */
export async function scrub(hub: Hub, runtime: SessionRuntime, target: { at: number } | { seq: number }): Promise<ScrubView> {
  const log = await hub.store.readLog(runtime.record.id);
  let kept = checkpoints.get(runtime);
  if (!kept) {
    kept = new Checkpoints(runtime.record.seed);
    checkpoints.set(runtime, kept);
  }
  const liveAt = Math.max(hub.clock(), runtime.state.now);
  const count = 'at' in target ? countAt(log, target.at) : Math.min(target.seq, log.length);
  const at = 'at' in target ? Math.min(target.at, liveAt) : (log[count - 1]?.at ?? runtime.record.createdAt);
  const { state, timeline } = kept.at(log, count, at);
  const feeds = { west: feedView(state, 'west'), east: feedView(state, 'east') };
  const window = (dc: 'west' | 'east') => feeds[dc].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1)).slice(0, SCRUB_WINDOW);
  const clock = (dc: 'west' | 'east') => ({ wall: at + state.skew[dc], lamport: state.replicas[dc].lamport });
  // The Raft view at that moment: a fresh consensus replay of the journal (the log's entries up to `at`).
  const consensus = await (await journalOf(runtime, log)).at(at);
  return {
    at,
    seq: count,
    total: log.length,
    prevAt: count > 1 ? log[count - 2]!.at : null,
    nextAt: log[count]?.at ?? null,
    startedAt: runtime.record.createdAt,
    liveAt,
    posts: { west: window('west'), east: window('east') },
    counts: { west: feeds.west.length, east: feeds.east.length },
    link: linkView(state),
    settings: settingsView(state),
    inFlight: inFlightView(state),
    clocks: { west: clock('west'), east: clock('east') },
    divergence: divergenceView(state),
    timeline: timelineView(state, timeline),
    lastHeal: state.lastHeal?.strategy ?? null,
    raft: momentView(consensus.player, consensus.here),
  };
}

export function replayHandlers(hub: Hub, socket: AppSocket): void {
  route(hub, socket, 'admin:rewind', schemas.adminRewind, async ({ healIndex }) => {
    const runtime = adminOf(hub, socket);
    if (!runtime) return forbidden();
    const outcome = await runtime.execute({ type: 'heal.rewind', healIndex }, `admin-${randomUUID()}`);
    return outcome.ok ? { ok: true, data: attemptsView(outcome.state) } : refused(outcome.error);
  });
  route(hub, socket, 'board:attempts', schemas.boardAttempts, () => {
    const runtime = classViewOf(hub, socket);
    return Promise.resolve(runtime ? { ok: true, data: attemptsView(runtime.state) } : fail('forbidden', 'The attempts are for the board and the instructor.'));
  });
  route(hub, socket, 'board:scrub', schemas.boardScrub, async (target) => {
    const runtime = classViewOf(hub, socket);
    if (!runtime) return fail('forbidden', 'Scrubbing is for the board and the instructor.');
    return { ok: true, data: await scrub(hub, runtime, target) };
  });
}
