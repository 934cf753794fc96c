/**
 * A Jepsen-style checker for Split-Brain Lab (REL9, REL10): given every acknowledged write, the
 * final state of both datacenters as the server shows it (the admin snapshot) and every heal
 * report, it lists what was lost without a report, what was applied twice, and which posts West
 * and East still disagree on. Pure: chaos runs, crash runs and hand-made histories all use it.
 *
 * What "kept" means per kind, with the core's register order (Lamport time, West before East,
 * op id) read from the snapshot's timeline:
 * - create: the post exists in both datacenters;
 * - create/edit/resolve text: no acknowledged text write ranks above the one whose text is shown;
 * - delete: the post shows deleted;
 * - like/unlike: no acknowledged like mark of that person ranks above the one the post shows.
 * A loss is explained when a heal report lists the op (LWW's lost writes) or, for a heal that came
 * after the op, the post (merge's duplicates and resurrected posts, human choice's conflicts), or
 * a later choice (resolve) settled the post.
 */
import type { ClassSnapshot, Dc, HealReportView, PostView, TimelineOpView } from '../../server/protocol/index.ts';
import { PINNED_POST_ID, PINNED_TEXT, TIMELINE_LIMIT } from '../../server/sim/index.ts';

export type WriteKind = 'create' | 'edit' | 'delete' | 'like' | 'unlike' | 'resolve';

/** One write a client sent: acknowledged (ok ack), or only attempted (it may have been applied). */
export interface ClientOp {
  opId: string;
  kind: WriteKind;
  postId: string;
  /** The participant id that wrote it. */
  author: string;
  /** The writer's datacenter when it was sent. */
  dc: Dc;
  /** The text written (create, edit, resolve); null for the others. */
  text: string | null;
}

/** The final state as the server exposes it: both datacenters' posts and the timeline. */
export type FinalState = Pick<ClassSnapshot, 'posts'> & { timeline: { ops: readonly TimelineOpView[] } };

export interface Finding {
  postId: string;
  opId: string | null;
  reason: string;
}

export interface CheckResult {
  /** Acknowledged ops absent from the final state and explained by no heal report. */
  missing: Finding[];
  /** Ops whose effect was applied more than once. */
  duplicates: Finding[];
  /** Posts whose West and East views differ. */
  divergent: Finding[];
}

export interface CheckInput {
  /** In the order the acks arrived: one author's writes are in the order that person made them. */
  acked: readonly ClientOp[];
  /** Writes sent but never acknowledged (retries exhausted): they may or may not be applied. */
  attempted?: readonly ClientOp[];
  final: FinalState;
  reports: readonly HealReportView[];
}

interface Stamp {
  lamport: number;
  origin: Dc;
  opId: string;
  /** The post's version vector after the op, at its origin; null for the pinned post's first text. */
  vv: { west: number; east: number } | null;
  /** When it reached the other datacenter (server time); null while it has not. */
  deliveredAt: number | null;
}

/** `a` was written by a side that had seen `b` (VV1): `a` overwriting `b` is no loss. */
function sawIt(a: Stamp, b: Stamp): boolean {
  return a.vv !== null && b.vv !== null && a.vv.west >= b.vv.west && a.vv.east >= b.vv.east;
}

/** The core's register order (compareStamps in server/sim/replica.ts): Lamport, then West first, then op id. */
function compareStamps(a: Stamp, b: Stamp): number {
  if (a.lamport !== b.lamport) return a.lamport - b.lamport;
  if (a.origin !== b.origin) return a.origin === 'west' ? -1 : 1;
  return a.opId < b.opId ? -1 : a.opId > b.opId ? 1 : 0;
}

const BASE: Stamp = { lamport: -1, origin: 'west', opId: '', vv: { west: 0, east: 0 }, deliveredAt: null };
const PINNED_STAMP: Stamp = { lamport: 0, origin: 'west', opId: PINNED_POST_ID, vv: { west: 0, east: 0 }, deliveredAt: null };
const TEXT_KINDS: ReadonlySet<WriteKind> = new Set(['create', 'edit', 'resolve']);
const LIKE_KINDS: ReadonlySet<WriteKind> = new Set(['like', 'unlike']);

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** The fields two replicas must agree on after a heal (not `pending`, which says where a version is). */
function comparable(post: PostView): Record<string, unknown> {
  return {
    parentId: post.parentId,
    authorId: post.authorId,
    text: post.text,
    deleted: post.deleted,
    createdAt: post.createdAt,
    createdIn: post.createdIn,
    likedBy: [...post.likedBy].sort(),
    vv: post.vv,
    lamport: post.lamport,
    siblings: post.siblings?.map((s) => ({ dc: s.dc, text: s.text, deleted: s.deleted, byId: s.byId, wall: s.wall, vv: s.vv })) ?? null,
    duplicateOf: post.duplicateOf,
  };
}

function divergentPosts(final: FinalState): Finding[] {
  const west = new Map(final.posts.west.map((p) => [p.id, p]));
  const east = new Map(final.posts.east.map((p) => [p.id, p]));
  const found: Finding[] = [];
  for (const id of new Set([...west.keys(), ...east.keys()])) {
    const w = west.get(id);
    const e = east.get(id);
    if (!w || !e) {
      found.push({ postId: id, opId: null, reason: `only in ${w ? 'West' : 'East'}` });
      continue;
    }
    const a = comparable(w);
    const b = comparable(e);
    const fields = Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    if (fields.length > 0) {
      found.push({ postId: id, opId: null, reason: fields.map((k) => `${k}: West ${JSON.stringify(a[k])} / East ${JSON.stringify(b[k])}`).join('; ') });
    }
  }
  return found;
}

export function check({ acked, attempted = [], final, reports }: CheckInput): CheckResult {
  const missing: Finding[] = [];
  const duplicates: Finding[] = [];
  const lose = (op: ClientOp, reason: string) => missing.push({ postId: op.postId, opId: op.opId, reason: `${op.kind} by ${op.author} in ${op.dc}: ${reason}` });

  const timeline = final.timeline.ops;
  /** The window is complete: an op absent from it was never applied. */
  const complete = timeline.length < TIMELINE_LIMIT;
  const applied = groupBy(timeline, (o) => o.opId);
  for (const [opId, entries] of applied) {
    if (entries.length > 1) duplicates.push({ postId: entries[0]?.postId ?? '?', opId, reason: `applied ${entries.length} times at its origin` });
  }
  const stampOf = (opId: string): Stamp | null => {
    const entry = applied.get(opId)?.[0];
    return entry ? { lamport: entry.lamport, origin: entry.origin, opId, vv: entry.vv, deliveredAt: entry.deliveredAt } : null;
  };
  const atOf = (opId: string): number | null => applied.get(opId)?.[0]?.at ?? null;

  // What the heal reports account for.
  const lostOps = new Set(reports.flatMap((r) => r.lost.map((l) => l.lost.opId)));
  const settledAt = new Map<string, number[]>();
  const settle = (postId: string, at: number) => settledAt.set(postId, [...(settledAt.get(postId) ?? []), at]);
  for (const r of reports) {
    for (const d of r.duplicates) settle(d.postId, r.at);
    for (const x of r.resurrected) settle(x.postId, r.at);
    for (const c of r.conflicts) settle(c.postId, r.at);
  }
  const resolves = timeline.filter((o) => o.kind === 'resolve');
  const explained = (op: ClientOp): boolean => {
    if (lostOps.has(op.opId)) return true;
    const at = atOf(op.opId);
    if ((settledAt.get(op.postId) ?? []).some((healAt) => at === null || at <= healAt)) return true;
    const stamp = stampOf(op.opId);
    return resolves.some((r) => r.postId === op.postId && r.opId !== op.opId && (stamp === null || compareStamps({ ...r, vv: r.vv }, stamp) > 0));
  };
  const healTimes = new Set(reports.map((r) => r.at));
  /**
   * Why `lost` (acknowledged, unexplained) is not what the post shows, when `shown` is: null when
   * that is no loss. Overwritten by a write that saw it: none. Ranking above the shown one: the
   * register rule broke. Written later by the same person: their own choice. Concurrent and settled by a heal (either crossed the link in it): the
   * heal had to report it. Concurrent while the link carried them: the register rule (NET1).
   */
  const ackOrder = new Map(acked.map((o, i) => [o.opId, i]));
  const authorOf = new Map([...acked, ...attempted].map((o) => [o.opId, o.author]));
  /** The same person wrote `shown` after `lost` was acknowledged (they roamed, say): their own later choice. */
  const laterBySameAuthor = (lost: Stamp, shown: Stamp): boolean =>
    authorOf.get(lost.opId) === authorOf.get(shown.opId) && (ackOrder.get(shown.opId) ?? -1) > (ackOrder.get(lost.opId) ?? Infinity);
  const overwritten = (lost: Stamp, shown: Stamp): string | null => {
    if (sawIt(shown, lost) || laterBySameAuthor(lost, shown)) return null;
    if (compareStamps(lost, shown) > 0) return 'ranks above the version shown';
    const inHeal = (s: Stamp) => s.deliveredAt !== null && healTimes.has(s.deliveredAt);
    if (inHeal(lost) || inHeal(shown)) return 'was concurrent with the version shown, and the heal that settled them does not report it';
    return null;
  };

  const views: Record<Dc, Map<string, PostView>> = {
    west: new Map(final.posts.west.map((p) => [p.id, p])),
    east: new Map(final.posts.east.map((p) => [p.id, p])),
  };
  const shown = (postId: string): PostView | undefined => views.west.get(postId) ?? views.east.get(postId);

  for (const op of acked) {
    if (complete && !applied.has(op.opId)) lose(op, 'the server has no record of it (not in the timeline)');
  }

  // Creates: the post exists on both sides.
  for (const op of acked) {
    if (op.kind !== 'create') continue;
    for (const dc of ['west', 'east'] as const) if (!views[dc].has(op.postId)) lose(op, `its post is not in ${dc}`);
  }

  // Text: nothing acknowledged ranks above the write whose text is shown.
  const everything = [...acked, ...attempted];
  const ackedIds = new Set(acked.map((o) => o.opId));
  for (const [postId, writes] of groupBy(everything.filter((o) => TEXT_KINDS.has(o.kind)), (o) => o.postId)) {
    const post = shown(postId);
    if (!post) continue; // a missing create is reported above
    const candidates = writes.filter((w) => w.text === post.text && stampOf(w.opId) !== null);
    let shownStamp: Stamp | null = null;
    for (const c of candidates) {
      const s = stampOf(c.opId);
      if (s && (!shownStamp || compareStamps(s, shownStamp) > 0)) shownStamp = s;
    }
    if (!shownStamp && postId === PINNED_POST_ID && post.text === PINNED_TEXT) shownStamp = PINNED_STAMP;
    for (const w of writes) {
      if (!ackedIds.has(w.opId) || explained(w)) continue;
      const s = stampOf(w.opId);
      if (!shownStamp) lose(w, `the post shows ${JSON.stringify(post.text)}, which no known write wrote`);
      else if (s && s.opId !== shownStamp.opId) {
        const why = overwritten(s, shownStamp);
        if (why) lose(w, `its text ${JSON.stringify(w.text)} ${why} (${JSON.stringify(post.text)})`);
      }
    }
  }

  // Deletes: the post shows deleted.
  for (const op of acked) {
    if (op.kind !== 'delete' || explained(op)) continue;
    const post = shown(op.postId);
    if (!post) lose(op, 'its post is gone');
    else if (!post.deleted) lose(op, 'the post is not deleted');
  }

  // Likes: per person and post, nothing acknowledged ranks above the mark the post shows.
  for (const [, marks] of groupBy(everything.filter((o) => LIKE_KINDS.has(o.kind)), (o) => `${o.postId}\u0000${o.author}`)) {
    const first = marks[0];
    if (!first) continue;
    const post = shown(first.postId);
    if (!post) {
      for (const m of marks) if (ackedIds.has(m.opId) && !explained(m)) lose(m, 'its post is gone');
      continue;
    }
    const on = post.likedBy.includes(first.author);
    let shownStamp: Stamp = BASE;
    for (const m of marks) {
      const s = stampOf(m.opId);
      if (s && (m.kind === 'like') === on && compareStamps(s, shownStamp) > 0) shownStamp = s;
    }
    for (const m of marks) {
      if (!ackedIds.has(m.opId) || explained(m) || (m.kind === 'like') === on) continue;
      const s = stampOf(m.opId) ?? (complete ? null : { ...BASE, lamport: Number.MAX_SAFE_INTEGER, vv: null });
      const why = s && overwritten(s, shownStamp);
      if (why) lose(m, `the post shows ${first.author} ${on ? 'liking' : 'not liking'} it; this mark ${why}`);
    }
  }

  // Applied twice: a create repeated under another id, or a version vector counting more ops than were made.
  for (const op of acked) {
    if (op.kind !== 'create') continue;
    for (const p of final.posts.west) {
      if (p.id !== op.postId && p.duplicateOf === null && p.authorId === op.author && p.text === op.text && p.createdIn === op.dc && !p.id.endsWith('-both')) {
        duplicates.push({ postId: p.id, opId: op.opId, reason: `post ${p.id} repeats ${op.opId}'s create` });
      }
    }
  }
  if (complete) {
    const byPost = groupBy(timeline, (o) => o.postId);
    for (const post of final.posts.west) {
      if (post.duplicateOf !== null) continue;
      const made = byPost.get(post.id) ?? [];
      for (const dc of ['west', 'east'] as const) {
        const count = new Set(made.filter((o) => o.origin === dc).map((o) => o.opId)).size;
        if (post.vv[dc] > count) duplicates.push({ postId: post.id, opId: null, reason: `its version vector counts ${post.vv[dc]} ${dc} writes, ${count} were made` });
      }
    }
  }

  return { missing, duplicates, divergent: divergentPosts(final) };
}

/** One line per finding, for a failing seed's message. */
export function describe(result: CheckResult): string {
  const lines: string[] = [];
  for (const [name, list] of Object.entries(result) as [string, Finding[]][]) {
    for (const f of list) lines.push(`${name}: post ${f.postId}${f.opId ? ` op ${f.opId}` : ''}: ${f.reason}`);
  }
  return lines.join('\n');
}

export function isClean(result: CheckResult): boolean {
  return result.missing.length === 0 && result.duplicates.length === 0 && result.divergent.length === 0;
}
