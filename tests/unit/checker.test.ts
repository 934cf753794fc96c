/**
 * The checker on hand-made histories: clean ones it must pass, and broken ones it must flag
 * (a checker that cannot fail proves nothing about the chaos runs that use it).
 */
import { describe, expect, it } from 'vitest';
import type { Dc, HealReportView, PostView, TimelineOpView, WriteView } from '../../server/protocol/index.ts';
import { PINNED_TEXT } from '../../server/sim/index.ts';
import { check, isClean, type ClientOp, type FinalState } from '../support/checker.ts';

type Kind = ClientOp['kind'];

/** One write: the client's record of it and the timeline entry the server shows for it. */
function write(
  opId: string,
  kind: Kind,
  postId: string,
  author: string,
  dc: Dc,
  lamport: number,
  text: string | null,
  vv: [number, number],
  { at = lamport, deliveredAt = at + 1 }: { at?: number; deliveredAt?: number } = {},
) {
  const client: ClientOp = { opId, kind, postId, author, dc, text };
  const entry: TimelineOpView = { opId, kind, postId, authorName: author, origin: dc, at, wall: at, lamport, vv: { west: vv[0], east: vv[1] }, deliveredAt };
  return { client, entry };
}

function post(id: string, over: Partial<PostView> = {}): PostView {
  return {
    id,
    parentId: null,
    pinned: id === 'pinned',
    authorId: 'ann',
    authorName: 'Ann',
    text: '',
    deleted: false,
    createdAt: 1,
    createdIn: 'west',
    editedBy: null,
    editedAt: null,
    likeCount: over.likedBy?.length ?? 0,
    likedBy: [],
    vv: { west: 0, east: 0 },
    lamport: 0,
    pending: false,
    siblings: null,
    mayChoose: null,
    duplicateOf: null,
    ...over,
  };
}

/** The same posts in both datacenters (a converged final state). */
function both(posts: PostView[], ops: TimelineOpView[]): FinalState {
  return { posts: { west: posts, east: posts.map((p) => ({ ...p })) }, timeline: { ops } };
}

/** A whole report (not a sample): each list's count is its length. */
function withTotals(r: Omit<HealReportView, 'totals'>): HealReportView {
  const totals = { lost: r.lost.length, duplicates: r.duplicates.length, brokenThreads: r.brokenThreads.length, phantomLikes: r.phantomLikes.length, resurrected: r.resurrected.length, likeMerges: r.likeMerges.length, conflicts: r.conflicts.length };
  return { ...r, totals };
}

function report(over: Partial<HealReportView>): HealReportView {
  return withTotals({ strategy: 'lww', at: 100, held: { west: 0, east: 0 }, lost: [], duplicates: [], brokenThreads: [], phantomLikes: [], resurrected: [], likeMerges: [], conflicts: [], ...over });
}

function writeView(opId: string, dc: Dc): WriteView {
  return { opId, kind: 'edit', byId: 'x', byName: 'X', dc, wall: 0, at: 0, text: null };
}

// A small history: Ann posts in West, Ed edits the pinned post in East, Ed likes Ann's post.
const create = write('op-create-1', 'create', 'op-create-1', 'ann', 'west', 1, 'hello', [1, 0]);
const pinEdit = write('op-pin-1', 'edit', 'pinned', 'ed', 'east', 2, 'notes v2', [0, 1]);
const like = write('op-like-1', 'like', 'op-create-1', 'ed', 'east', 3, null, [1, 1]);
const cleanPosts = () => [
  post('op-create-1', { text: 'hello', likedBy: ['ed'], vv: { west: 1, east: 1 }, lamport: 3 }),
  post('pinned', { authorId: 'class', text: 'notes v2', vv: { west: 0, east: 1 }, lamport: 2 }),
];
const history = [create, pinEdit, like];

describe('[REL9] the checker', () => {
  it('[REL9] passes a history where every acknowledged write is there once and both sides agree', () => {
    const result = check({ acked: history.map((w) => w.client), final: both(cleanPosts(), history.map((w) => w.entry)), reports: [] });
    expect(result).toEqual({ missing: [], duplicates: [], divergent: [] });
  });

  it('[REL9] reports an acknowledged create whose post is not in the final state', () => {
    const posts = cleanPosts().filter((p) => p.id !== 'op-create-1');
    const result = check({ acked: [create.client], final: both(posts, [create.entry]), reports: [] });
    expect(result.missing.map((m) => m.opId)).toEqual(['op-create-1', 'op-create-1']);
  });

  it('[REL9] reports an acknowledged op the server has no record of', () => {
    const result = check({ acked: history.map((w) => w.client), final: both(cleanPosts(), [create.entry, pinEdit.entry]), reports: [] });
    expect(result.missing.map((m) => m.opId)).toContain('op-like-1');
  });

  it('[REL9] an edit overwritten by a later one is not a loss; the later one replaced by the earlier is', () => {
    const first = write('op-edit-1', 'edit', 'op-create-1', 'ann', 'west', 4, 'first', [2, 1]);
    const second = write('op-edit-2', 'edit', 'op-create-1', 'ann', 'west', 5, 'second', [3, 1]);
    const ops = [...history, first, second];
    const shows = (text: string) => both([post('op-create-1', { text, likedBy: ['ed'], vv: { west: 3, east: 1 }, lamport: 5 }), cleanPosts()[1]!], ops.map((w) => w.entry));
    expect(isClean(check({ acked: ops.map((w) => w.client), final: shows('second'), reports: [] }))).toBe(true);
    const lost = check({ acked: ops.map((w) => w.client), final: shows('first'), reports: [] });
    expect(lost.missing.map((m) => m.opId)).toEqual(['op-edit-2']);
  });

  it('[REL9] an edit LWW discarded is explained by the report that lists it, and only by that', () => {
    const west = write('op-west-edit', 'edit', 'pinned', 'ann', 'west', 10, 'west wins', [1, 0]);
    const east = write('op-east-edit', 'edit', 'pinned', 'ed', 'east', 11, 'east loses', [0, 1]);
    const ops = [create, west, east];
    const final = both([post('op-create-1', { text: 'hello', vv: { west: 1, east: 0 }, lamport: 1 }), post('pinned', { authorId: 'class', text: 'west wins', vv: { west: 1, east: 1 }, lamport: 11 })], ops.map((w) => w.entry));
    expect(check({ acked: ops.map((w) => w.client), final, reports: [] }).missing.map((m) => m.opId)).toEqual(['op-east-edit']);
    const lww = report({ lost: [{ postId: 'pinned', lost: writeView('op-east-edit', 'east'), winner: writeView('op-west-edit', 'west'), decidedBy: 'later-timestamp', aheadMs: 1, skew: null }] });
    expect(isClean(check({ acked: ops.map((w) => w.client), final, reports: [lww] }))).toBe(true);
    const otherOp = report({ lost: [{ postId: 'pinned', lost: writeView('op-something-else', 'east'), winner: writeView('op-west-edit', 'west'), decidedBy: 'later-timestamp', aheadMs: 1, skew: null }] });
    expect(check({ acked: ops.map((w) => w.client), final, reports: [otherOp] }).missing).toHaveLength(1);
  });

  it('[REL9] concurrent edits: the register settles them silently over the link, but a heal that settles them must report it', () => {
    // Ann in West and Ed in East edit the pinned post without seeing each other's edit; West's ranks below.
    const settled = (deliveredAt: number) => {
      const west = write('op-west-edit', 'edit', 'pinned', 'ann', 'west', 5, 'from west', [1, 0], { at: 10, deliveredAt });
      const east = write('op-east-edit', 'edit', 'pinned', 'ed', 'east', 6, 'from east', [0, 1], { at: 11, deliveredAt: 12 });
      const final = both([post('pinned', { authorId: 'class', text: 'from east', vv: { west: 1, east: 1 }, lamport: 6 })], [west.entry, east.entry]);
      return check({ acked: [west.client, east.client], final, reports: [report({ at: 100 })] });
    };
    expect(isClean(settled(12))).toBe(true);
    expect(settled(100).missing.map((m) => m.opId)).toEqual(['op-west-edit']);
  });

  it('[REL9] one person overwriting their own mark from the other side is no loss; someone else doing it unreported is', () => {
    // Ed likes in East, roams to West and unlikes there before his like crossed; a heal delivers both.
    const liked = write('op-like-e', 'like', 'op-create-1', 'ed', 'east', 3, null, [1, 1], { at: 10, deliveredAt: 100 });
    const unliked = write('op-unlike-w', 'unlike', 'op-create-1', 'ed', 'west', 4, null, [2, 0], { at: 11, deliveredAt: 100 });
    const final = both([post('op-create-1', { text: 'hello', vv: { west: 2, east: 1 }, lamport: 4 })], [create.entry, liked.entry, unliked.entry]);
    const acked = [create.client, liked.client, unliked.client];
    expect(isClean(check({ acked, final, reports: [report({ at: 100 })] }))).toBe(true);
    // Acknowledged the other way round, the unlike came first: the like he made last is gone.
    const reversed = [create.client, unliked.client, liked.client];
    expect(check({ acked: reversed, final, reports: [report({ at: 100 })] }).missing.map((m) => m.opId)).toEqual(['op-like-e']);
  });

  it('[REL9] a post showing a text nobody wrote fails every acknowledged text write to it', () => {
    const final = both([post('op-create-1', { text: 'tampered', likedBy: ['ed'], vv: { west: 1, east: 1 }, lamport: 3 }), cleanPosts()[1]!], history.map((w) => w.entry));
    expect(check({ acked: history.map((w) => w.client), final, reports: [] }).missing.map((m) => m.opId)).toEqual(['op-create-1']);
  });

  it('[REL9] the untouched pinned post needs no write to explain its text', () => {
    const final = both([post('op-create-1', { text: 'hello', vv: { west: 1, east: 0 }, lamport: 1 }), post('pinned', { authorId: 'class', text: PINNED_TEXT })], [create.entry]);
    expect(isClean(check({ acked: [create.client], final, reports: [] }))).toBe(true);
  });

  it('[REL9] an undone delete is a loss unless a later merge heal resurrected the post', () => {
    const del = write('op-del-1', 'delete', 'op-create-1', 'ann', 'west', 4, null, [2, 0], { at: 50 });
    const ops = [create, del];
    const final = both([post('op-create-1', { text: 'hello', vv: { west: 2, east: 0 }, lamport: 4 }), post('pinned', { authorId: 'class', text: PINNED_TEXT })], ops.map((w) => w.entry));
    const acked = ops.map((w) => w.client);
    expect(check({ acked, final, reports: [] }).missing.map((m) => m.opId)).toEqual(['op-del-1']);
    const resurrected = { postId: 'op-create-1', deletedById: 'ann', deletedByName: 'Ann', editedById: 'ed', editedByName: 'Ed' };
    expect(isClean(check({ acked, final, reports: [report({ strategy: 'merge', at: 60, resurrected: [resurrected] })] }))).toBe(true);
    // A heal before the delete cannot explain it.
    expect(check({ acked, final, reports: [report({ strategy: 'merge', at: 40, resurrected: [resurrected] })] }).missing).toHaveLength(1);
  });

  it('[REL9] a like must show unless a later unlike by the same person ranks above it', () => {
    const unlike = write('op-unlike-1', 'unlike', 'op-create-1', 'ed', 'east', 4, null, [1, 2]);
    const ops = [create, like, unlike];
    const liked = (likedBy: string[]) => both([post('op-create-1', { text: 'hello', likedBy, vv: { west: 1, east: 2 }, lamport: 4 }), post('pinned', { authorId: 'class', text: PINNED_TEXT })], ops.map((w) => w.entry));
    expect(isClean(check({ acked: ops.map((w) => w.client), final: liked([]), reports: [] }))).toBe(true);
    expect(check({ acked: ops.map((w) => w.client), final: liked(['ed']), reports: [] }).missing.map((m) => m.opId)).toEqual(['op-unlike-1']);
    const noUnlike = [create, like];
    const final = both([post('op-create-1', { text: 'hello', vv: { west: 1, east: 1 }, lamport: 3 }), post('pinned', { authorId: 'class', text: PINNED_TEXT })], noUnlike.map((w) => w.entry));
    expect(check({ acked: noUnlike.map((w) => w.client), final, reports: [] }).missing.map((m) => m.opId)).toEqual(['op-like-1']);
  });

  it('[REL9] reports an op applied twice: twice in the timeline, or counted twice in the version vector', () => {
    const twice = check({ acked: history.map((w) => w.client), final: both(cleanPosts(), [...history.map((w) => w.entry), like.entry]), reports: [] });
    expect(twice.duplicates.map((d) => d.opId)).toContain('op-like-1');
    const posts = cleanPosts();
    posts[0] = { ...posts[0]!, vv: { west: 1, east: 2 } };
    const counted = check({ acked: history.map((w) => w.client), final: both(posts, history.map((w) => w.entry)), reports: [] });
    expect(counted.duplicates.map((d) => [d.postId, d.reason])).toEqual([['op-create-1', 'its version vector counts 2 east writes, 1 were made']]);
  });

  it('[REL9] reports a create applied again under another id', () => {
    const again = post('server-made-id', { text: 'hello', vv: { west: 1, east: 0 } });
    const copy = write('server-made-id', 'create', 'server-made-id', 'ann', 'west', 4, 'hello', [1, 0]);
    const result = check({ acked: history.map((w) => w.client), final: both([...cleanPosts(), again], [...history.map((w) => w.entry), copy.entry]), reports: [] });
    expect(result.duplicates).toEqual([expect.objectContaining({ postId: 'server-made-id', opId: 'op-create-1' })]);
  });

  it('[REL9] reports posts West and East disagree on, or that only one side has', () => {
    const final = both(cleanPosts(), history.map((w) => w.entry));
    final.posts.east[0] = { ...final.posts.east[0]!, likedBy: [], likeCount: 0 };
    final.posts.east.push(post('op-only-east', { text: 'lonely' }));
    const result = check({ acked: history.map((w) => w.client), final, reports: [] });
    expect(result.divergent.map((d) => d.postId).sort()).toEqual(['op-create-1', 'op-only-east']);
    expect(result.divergent.find((d) => d.postId === 'op-create-1')?.reason).toContain('likedBy');
  });

  it('[REL9] a write that was never acknowledged may be missing', () => {
    const ghost = write('op-ghost', 'create', 'op-ghost', 'ann', 'west', 9, 'maybe', [1, 0]);
    const result = check({ acked: history.map((w) => w.client), attempted: [ghost.client], final: both(cleanPosts(), history.map((w) => w.entry)), reports: [] });
    expect(isClean(result)).toBe(true);
  });
});
