/**
 * The session in formats other tools read: CSV for a spreadsheet, and ShiViz's log format for a
 * space-time diagram with vector clocks (https://bestchai.bitbucket.io/shiviz/).
 *
 * ShiViz wants one vector clock per process. The core keeps per-object version vectors and a
 * Lamport counter per datacenter, so the export derives a per-datacenter vector clock from the
 * core's own delivery events, deterministically (Fidge/Mattern): every write a datacenter applies,
 * its own or one received, is an event there and adds 1 to its own entry; a received write also
 * takes, entry by entry, the maximum with the clock its origin had when it wrote it. Between
 * resets and rewinds a datacenter's own entry is the number of writes its replica has applied.
 */
import type { LogEntry, SessionRecord } from '../persistence/store.ts';
import { CLASS_AUTHOR, INSTRUCTOR, step, type DcId, type HealReport, type SimEvent, type SimState } from '../sim/index.ts';
import { replayLog } from './replay.ts';

/** The regular expression ShiViz parses the log with (JS named groups), the log's first line. */
export const SHIVIZ_REGEX = '(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})';

const HOST: Readonly<Record<DcId, string>> = { west: 'West', east: 'East' };

export interface ShivizEvent {
  host: string;
  clock: Record<string, number>;
  description: string;
}

function oneLine(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The clocks of every applied write, in the order the core applied them. */
export function shivizEvents(seed: number, log: readonly LogEntry[]): ShivizEvent[] {
  const clocks: Record<DcId, { West: number; East: number }> = { west: { West: 0, East: 0 }, east: { West: 0, East: 0 } };
  const sentWith = new Map<string, { West: number; East: number }>();
  const events: ShivizEvent[] = [];
  const names = new Map<string, string>();
  const onEvents = (happened: readonly SimEvent[]) => {
    for (const event of happened) {
      if (event.type === 'participant.joined') names.set(event.participant.id, event.participant.name);
      if (event.type !== 'op.applied') continue;
      const { dc, op } = event;
      const clock = clocks[dc];
      if (!event.local) {
        const sent = sentWith.get(op.opId);
        if (sent) {
          clock.West = Math.max(clock.West, sent.West);
          clock.East = Math.max(clock.East, sent.East);
        }
      }
      clock[HOST[dc] as 'West' | 'East'] += 1;
      const snapshot = { ...clock };
      if (event.local) sentWith.set(op.opId, snapshot);
      const who = op.author === INSTRUCTOR ? 'the instructor' : op.author === CLASS_AUTHOR ? 'the class' : (names.get(op.author) ?? op.author);
      const what = `${op.kind} ${op.postId}${op.text === undefined ? '' : ` "${oneLine(op.text)}"`} by ${who}`;
      events.push({ host: HOST[dc], clock: snapshot, description: event.local ? `${HOST[dc]} writes: ${what} [${op.opId}]` : `${HOST[dc]} receives from ${HOST[op.origin]}: ${what} [${op.opId}]` });
    }
  };
  replayLog(seed, log, onEvents);
  return events;
}

/** ShiViz's input: the regular expression, then two lines per event (description, then host and clock). */
export function shivizLog(seed: number, log: readonly LogEntry[]): string {
  const lines = [SHIVIZ_REGEX];
  for (const e of shivizEvents(seed, log)) lines.push(e.description, `${e.host} ${JSON.stringify(e.clock)}`);
  return `${lines.join('\n')}\n`;
}

// ---- CSV ---------------------------------------------------------------------------------------

/**
 * Facts in columns, never sentences (a spreadsheet filters and sums them): why a write lost is
 * `decided_by` with its figures, a duplicate names its twin, a like merge gives each side's count.
 */
const CSV_COLUMNS = [
  'record',
  'dc',
  'post_id',
  'parent_id',
  'author',
  'text',
  'deleted',
  'likes',
  'vv_west',
  'vv_east',
  'heal',
  'strategy',
  'outcome',
  'op_id',
  'kind',
  'wall',
  'at',
  'winner_op_id',
  'winner_dc',
  'winner_author',
  'winner_wall',
  'decided_by',
  'ahead_ms',
  'behind_ms',
  'later_ms',
  'duplicate_of',
  'likes_west',
  'likes_east',
  'deleted_by',
] as const;
type Row = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null>>;

/** One cell: quoted when it must be, and never a formula a spreadsheet would run (=, +, -, @). */
function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function healRows(report: HealReport, heal: number, name: (id: string) => string): Row[] {
  const base = { record: 'heal', heal, strategy: report.strategy };
  const rows: Row[] = [];
  for (const l of report.lost) {
    const { lost, winner } = l;
    rows.push({
      ...base,
      outcome: 'lost',
      dc: lost.dc,
      post_id: l.postId,
      author: name(lost.by),
      op_id: lost.opId,
      kind: lost.kind,
      text: lost.text ?? null,
      wall: lost.wall,
      at: lost.at,
      winner_op_id: winner.opId,
      winner_dc: winner.dc,
      winner_author: name(winner.by),
      winner_wall: winner.wall,
      decided_by: l.decidedBy,
      ahead_ms: l.aheadMs,
      behind_ms: l.skew?.behindMs ?? null,
      later_ms: l.skew?.laterMs ?? null,
    });
  }
  for (const d of report.duplicates) rows.push({ ...base, outcome: 'duplicated', post_id: d.duplicateId, duplicate_of: d.postId, author: name(d.by) });
  for (const m of report.likeMerges) rows.push({ ...base, outcome: 'likes merged', post_id: m.postId, likes: m.total, likes_west: m.west, likes_east: m.east });
  for (const r of report.resurrected) rows.push({ ...base, outcome: 'resurrected', post_id: r.postId, author: name(r.editedBy), deleted_by: name(r.deletedBy) });
  for (const b of report.brokenThreads) rows.push({ ...base, outcome: 'broken thread', post_id: b.postId, parent_id: b.parentId, author: name(b.by) });
  for (const p of report.phantomLikes) rows.push({ ...base, outcome: 'phantom like', post_id: p.postId, author: name(p.by) });
  for (const c of report.conflicts) for (const s of c.siblings) rows.push({ ...base, outcome: 'conflict', dc: s.dc, post_id: c.postId, author: name(s.by), text: s.text, deleted: s.deleted, vv_west: s.vv.west, vv_east: s.vv.east, wall: s.wall });
  return rows;
}

/**
 * One row per post per datacenter (the state at `now`: the log replayed, then what is due
 * delivered), then one per lost or merged write of every heal.
 */
export function sessionCsv(record: SessionRecord, log: readonly LogEntry[], now: number): string {
  const reports: HealReport[] = [];
  const replayed = replayLog(record.seed, log, (events) => {
    for (const e of events) if (e.type === 'heal.resolved') reports.push(e.report);
  }).state;
  const due = step(replayed, { type: 'tick' }, { now: Math.max(now, replayed.now) });
  const state = due.ok ? due.state : replayed;
  const name = (id: string) => nameIn(state, id);
  const rows: Row[] = [];
  for (const dc of ['west', 'east'] as const) {
    for (const post of state.replicas[dc].posts.values()) {
      if (!post.created) continue;
      rows.push({ record: 'post', dc, post_id: post.id, parent_id: post.parentId, author: name(post.author), text: post.text, deleted: post.deleted, likes: post.likeTotal, vv_west: post.vv.west, vv_east: post.vv.east, wall: post.createdAt, outcome: post.siblings ? 'in conflict' : post.duplicateOf ? 'duplicate' : null, duplicate_of: post.duplicateOf });
    }
  }
  reports.forEach((report, i) => rows.push(...healRows(report, i + 1, name)));
  return `${[CSV_COLUMNS.join(','), ...rows.map((row) => CSV_COLUMNS.map((c) => cell(row[c])).join(','))].join('\r\n')}\r\n`;
}

function nameIn(state: SimState, id: string): string {
  if (id === CLASS_AUTHOR) return 'The class';
  if (id === INSTRUCTOR) return 'The instructor';
  return state.participants.get(id)?.name ?? id;
}
