/**
 * The pure logic of app/lib that arranges what the pages show: the feed (replace by id, settle,
 * threads), the board's window of newest threads, the class view's batches and timeline, the
 * lesson's words, and storage that fails soft. None of it decides what is true: these tests check
 * that it only arranges the server's views.
 */
import { describe, expect, it } from 'vitest';
import type { ClassChange, ClassSnapshot, PostView, TimelineOpView } from '../../server/protocol/wire.ts';
import { TIMELINE_KEEP, applyClassChange, applyTimelineChange } from '../../app/lib/classState.ts';
import { buildThreads, countPosts, postAnchor, replacePost, replacePosts, settlePosts } from '../../app/lib/feed.ts';
import { newestThreads } from '../../app/lib/feedWindow.ts';
import { actionLabel, answeredLine, healLabel } from '../../app/lib/lessonWords.ts';
import { readStored, removeStored, storageKeys, writeStored } from '../../app/lib/storage.ts';

/** A post as the server shows it; `createdAt` orders threads. */
function view(id: string, over: Partial<PostView> = {}): PostView {
  return {
    id,
    parentId: null,
    pinned: false,
    authorId: 'wendy',
    authorName: 'Wendy',
    text: id,
    deleted: false,
    createdAt: 1000,
    createdIn: 'west',
    editedBy: null,
    editedAt: null,
    likeCount: 0,
    likedBy: [],
    vv: { west: 1, east: 0 },
    lamport: 1,
    pending: false,
    siblings: null,
    mayChoose: null,
    duplicateOf: null,
    ...over,
  };
}

/** The tree as ids: `id(reply, reply)`, `~id` for an orphan. */
function shape(nodes: ReturnType<typeof buildThreads>['top']): string[] {
  return nodes.map((n) => `${n.orphan ? '~' : ''}${n.post.id}${n.replies.length > 0 ? `(${shape(n.replies).join(',')})` : ''}`);
}

describe('app/lib feed: the server\'s copy replaces, the page only sorts and nests', () => {
  it('[REL3] a post replaces the one with its id in place, or is added at the end; the input is untouched', () => {
    const posts = [view('a'), view('b')];
    const edited = view('a', { text: 'edited' });
    expect(replacePost(posts, edited).map((p) => p.text)).toEqual(['edited', 'b']);
    expect(replacePost(posts, view('c')).map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(posts.map((p) => p.text)).toEqual(['a', 'b']);
    const batch = replacePosts(posts, [view('c'), view('b', { text: 'b2' }), view('d')]);
    expect(batch.map((p) => `${p.id}:${p.text}`)).toEqual(['a:a', 'b:b2', 'c:c', 'd:d']);
    expect(replacePosts(posts, [])).toBe(posts);
  });

  it('[NET1] settling marks only the named pending posts as replicated', () => {
    const posts = [view('a', { pending: true }), view('b', { pending: true }), view('c')];
    const settled = settlePosts(posts, ['a', 'c', 'unknown']);
    expect(settled.map((p) => p.pending)).toEqual([false, true, false]);
    expect(settled[2]).toBe(posts[2]);
    expect(settlePosts(posts, [])).toBe(posts);
  });

  it('[MRG3] pinned first, newest threads first, replies oldest first; a reply without its parent here is an orphan at the top', () => {
    const posts = [
      view('pin', { pinned: true, createdAt: 1 }),
      view('old', { createdAt: 100 }),
      view('new', { createdAt: 300 }),
      view('r2', { parentId: 'old', createdAt: 250 }),
      view('r1', { parentId: 'old', createdAt: 200 }),
      view('r1a', { parentId: 'r1', createdAt: 260 }),
      view('lost', { parentId: 'not-here', createdAt: 150 }),
    ];
    const threads = buildThreads(posts);
    expect(threads.pinned.map((n) => n.post.id)).toEqual(['pin']);
    expect(shape(threads.top)).toEqual(['new', '~lost', 'old(r1(r1a),r2)']);
  });

  it('[MRG3] [HUM2] a deleted post stays only while it has a visible reply or is in conflict', () => {
    const sibling = { dc: 'east' as const, text: 'kept in East', deleted: false, byId: 'ed', byName: 'Ed', wall: 1, lamport: 1, vv: { west: 0, east: 1 } };
    const posts = [
      view('gone', { deleted: true, createdAt: 100 }),
      view('broken', { deleted: true, createdAt: 200 }),
      view('reply', { parentId: 'broken', createdAt: 210 }),
      view('both-gone', { deleted: true, createdAt: 300 }),
      view('dead-reply', { parentId: 'both-gone', deleted: true, createdAt: 310 }),
      view('conflicted', { deleted: true, siblings: [sibling], createdAt: 400 }),
    ];
    expect(shape(buildThreads(posts).top)).toEqual(['conflicted', 'broken(reply)']);
    expect(countPosts(posts)).toBe(1);
    expect(countPosts([view('pin', { pinned: true }), view('a')])).toBe(1);
  });

  it('[SEC2] a parent chain that loops back on itself cannot hang the page: the loop is cut at the top', () => {
    const posts = [view('a', { parentId: 'b', createdAt: 1 }), view('b', { parentId: 'a', createdAt: 2 }), view('self', { parentId: 'self', createdAt: 3 })];
    const threads = buildThreads(posts);
    const ids = (nodes: typeof threads.top): string[] => nodes.flatMap((n) => [n.post.id, ...ids(n.replies)]);
    expect(ids(threads.top).sort()).toEqual(['a', 'b', 'self']);
  });

  it('[MRG1] anchors are per side', () => {
    expect(postAnchor('west', 'orig')).toBe('post-west-orig');
    expect(postAnchor('east', 'orig')).not.toBe(postAnchor('west', 'orig'));
  });
});

describe('app/lib feedWindow: the board renders the newest threads only', () => {
  it('[INC2] keeps the newest threads whole (replies of any depth), always the pinned post, and counts the rest', () => {
    const posts = [view('pin', { pinned: true, createdAt: 0 })];
    for (let i = 1; i <= 5; i += 1) {
      posts.push(view(`t${i}`, { createdAt: i * 100 }));
      posts.push(view(`t${i}-r`, { parentId: `t${i}`, createdAt: i * 100 + 1 }));
      posts.push(view(`t${i}-rr`, { parentId: `t${i}-r`, createdAt: i * 100 + 2 }));
    }
    const { posts: shown, hidden } = newestThreads(posts, 2);
    expect(hidden).toBe(3);
    expect(shown.map((p) => p.id)).toEqual(['pin', 't4', 't4-r', 't4-rr', 't5', 't5-r', 't5-rr']);
    const all = newestThreads(posts, 5);
    expect(all).toEqual({ posts, hidden: 0 });
  });

  it('[MRG3] an orphan reply is a thread of its own', () => {
    const posts = [view('a', { createdAt: 1 }), view('orphan', { parentId: 'elsewhere', createdAt: 2 })];
    expect(newestThreads(posts, 1)).toEqual({ posts: [posts[1]], hidden: 1 });
  });
});

describe('app/lib classState: the board\'s batches replace what they name', () => {
  const op = (opId: string, deliveredAt: number | null = null): TimelineOpView => ({
    opId,
    kind: 'create',
    postId: opId,
    authorName: 'Wendy',
    origin: 'west',
    at: 1,
    wall: 1,
    lamport: 1,
    vv: { west: 1, east: 0 },
    deliveredAt,
  });

  it('[NET1] a timeline op is replaced by opId when delivered, new ones appended, bands replaced whole; only the newest are kept', () => {
    const timeline = { ops: [op('a'), op('b')], bands: [{ mode: 'cut' as const, from: 1, to: null }] };
    const next = applyTimelineChange(timeline, { ops: [op('a', 50), op('c')], bands: [] });
    expect(next.ops.map((o) => [o.opId, o.deliveredAt])).toEqual([
      ['a', 50],
      ['b', null],
      ['c', null],
    ]);
    expect(next.bands).toEqual([]);
    expect(timeline.ops[0]?.deliveredAt).toBeNull();
    const many = applyTimelineChange(timeline, { ops: Array.from({ length: TIMELINE_KEEP }, (_, i) => op(`n${i}`)), bands: [] });
    expect(many.ops).toHaveLength(TIMELINE_KEEP);
    expect(many.ops.map((o) => o.opId).slice(0, 2)).toEqual(['n0', 'n1']); // the oldest two, a and b, dropped
    expect(applyTimelineChange(timeline, { ops: [], bands: timeline.bands }).ops).toBe(timeline.ops);
  });

  it('[SNAP1] a batch replaces posts per side, settles deliveries, and takes the counters and the meter as sent', () => {
    // Only what a batch touches, plus two fields it must pass through untouched.
    const base = {
      code: 'ABC123',
      participants: [],
      posts: { west: [view('w', { pending: true }), view('x')], east: [view('e')] },
      windows: { west: { threads: 2, posts: 2, before: 10 }, east: { threads: 1, posts: 1, before: null } },
      inFlight: { west: 1, east: 0 },
      divergence: { onlyWest: 1, onlyEast: 0, changedOnBoth: 0, likesDiffer: 0 },
      timeline: { ops: [op('w')], bands: [] },
    } satisfies Partial<ClassSnapshot>;
    const change: ClassChange = {
      posts: { west: [view('x', { text: 'x2' })], east: [view('w', { createdIn: 'west' })] },
      settled: { west: ['w'], east: [] },
      counts: { west: { threads: 2, posts: 3 }, east: { threads: 2, posts: 2 } },
      inFlight: { west: 0, east: 0 },
      divergence: { onlyWest: 0, onlyEast: 0, changedOnBoth: 0, likesDiffer: 0 },
      timeline: null,
    };
    const next = applyClassChange(base as unknown as ClassSnapshot, change);
    expect(next.posts.west.map((p) => [p.id, p.text, p.pending])).toEqual([
      ['w', 'w', false],
      ['x', 'x2', false],
    ]);
    expect(next.posts.east.map((p) => p.id)).toEqual(['e', 'w']);
    expect(next.windows).toEqual({ west: { threads: 2, posts: 3, before: 10 }, east: { threads: 2, posts: 2, before: null } });
    expect([next.inFlight, next.divergence]).toEqual([change.inFlight, change.divergence]);
    expect(next.timeline).toBe(base.timeline);
    expect([next.code, next.participants]).toEqual(['ABC123', []]);
  });
});

describe('app/lib lesson words and storage', () => {
  it('[LES1] a heal button says which strategy it heals with; the strip counts answers', () => {
    expect(healLabel('lww')).toMatch(/^Heal with /);
    expect(new Set([healLabel('lww'), healLabel('merge'), healLabel('human')]).size).toBe(3);
    expect(actionLabel('heal', 'merge')).toBe(healLabel('merge'));
    expect(actionLabel('cut-and-play', 'merge')).toBe('Cut the link and play');
    expect(answeredLine(3, 5)).toBe('3 of 5 answered');
  });

  it('[REL3] without browser storage (private mode, a locked laptop, the server) nothing throws and nothing is remembered', () => {
    expect('window' in globalThis).toBe(false);
    writeStored('local', storageKeys.token('ABC123'), 'secret');
    expect(readStored('local', storageKeys.token('ABC123'))).toBeNull();
    expect(() => removeStored('session', storageKeys.name('ABC123'))).not.toThrow();
    const keys = [storageKeys.token('ABC123'), storageKeys.admin('ABC123'), storageKeys.name('ABC123')];
    expect(new Set(keys).size).toBe(3);
    expect(keys.every((k) => k.includes('ABC123'))).toBe(true);
  });
});
