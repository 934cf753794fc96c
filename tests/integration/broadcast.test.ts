/**
 * What each screen is sent, and how much: deliveries as ids (not whole posts), windows of the
 * newest threads with older ones on request, and one converged view per screen after a heal (SNAP1).
 */
import { describe, expect, it } from 'vitest';
import { WINDOW_THREADS } from '../../server/realtime/feed-index.ts';
import { client, createClassroom, joinAs, nextEvent, ok, opId, serverPerTest, startTestServer, wholeClassView, type Client } from '../support/server.ts';

const live = serverPerTest();

/** Every event a socket receives from now on, by name. */
function countEvents(socket: Client): Map<string, number> {
  const counts = new Map<string, number>();
  socket.onAny((event: string) => counts.set(event, (counts.get(event) ?? 0) + 1));
  return counts;
}

describe('small diffs and windows', () => {
  it('[SNAP1] a delivery marks the post settled on its side with its id only; the full view goes once to each side', async () => {
    const room = await createClassroom(live.current);
    const west = await joinAs(live.current, room.code, 'Wendy');
    const east = await joinAs(live.current, room.code, 'Ed');
    const configured = [west, east].map((s) => nextEvent(s.socket, 'link:configured', (l) => l.latencyMs === 30));
    ok(await room.admin.emitWithAck('admin:link', { latencyMs: 30, jitterMs: 0 }));
    await Promise.all(configured);
    const onWest = countEvents(west.socket);
    const onEast = countEvents(east.socket);
    const arrived = nextEvent(east.socket, 'post:changed', (c) => c.post.text === 'one post');
    const post = ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'one post', parentId: null }));
    const settled = nextEvent(west.socket, 'posts:settled', (c) => c.ids.includes(post.id));
    const [[change], [diff]] = await Promise.all([arrived, settled]);
    expect(change.post.pending).toBe(false);
    expect(diff).toEqual({ dc: 'west', ids: [post.id] });
    // West: the post once (pending), then the id; East: the post once, when it arrived.
    expect(Object.fromEntries(onWest)).toEqual({ 'post:changed': 1, 'posts:settled': 1 });
    expect(Object.fromEntries(onEast)).toEqual({ 'post:changed': 1 });
  });

  it('[SNAP1] a join gets the newest threads with their replies, and feed:more the older ones', async () => {
    // Posting 126 times in a row is faster than a person may (SEC3): this server has no limits.
    const server = await startTestServer(undefined, { rateLimit: null });
    try {
    const room = await createClassroom(server);
    const west = await joinAs(server, room.code, 'Wendy');
    const total = WINDOW_THREADS + 25;
    const ids: string[] = [];
    for (let i = 0; i < total; i += 1) ids.push(ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: `post ${i}`, parentId: null })).id);
    const oldest = ids[0]!;
    const reply = ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'a reply to the oldest', parentId: oldest }));

    await joinAs(server, room.code, 'Ed'); // East's first: the next newcomer goes West
    const late = await joinAs(server, room.code, 'Wanda');
    const first = late.joined.snapshot;
    expect(first.dc).toBe('west');
    expect(first.window).toEqual({ before: 25, threads: total, posts: total + 1 });
    const shown = new Set(first.posts.map((p) => p.id));
    expect(shown.has('pinned')).toBe(true);
    expect(ids.slice(-WINDOW_THREADS).every((id) => shown.has(id))).toBe(true);
    expect(shown.has(oldest)).toBe(false);
    expect(shown.has(reply.id)).toBe(false);

    const page = ok(await late.socket.emitWithAck('feed:more', { dc: 'west', before: 25 }));
    expect(page.window.before).toBeNull();
    expect(page.posts.map((p) => p.id).sort()).toEqual([...ids.slice(0, 25), reply.id].sort());
    // A student reads only their own side.
    const other = await late.socket.emitWithAck('feed:more', { dc: 'east', before: 0 });
    expect(other.ok ? 'ok' : other.error.code).toBe('forbidden');

    // The board's window, paged to the start, is the whole feed.
    const board = await client(server);
    const watched = ok(await board.emitWithAck('board:watch', { code: room.code }));
    expect(watched.posts.west.length).toBeLessThan(total);
    const whole = await wholeClassView(board, watched);
    expect(whole.posts.west.length).toBe(total + 2);
    } finally {
      await server.close();
    }
  });

  it('[SNAP1] after a heal each screen gets its converged view in one message', async () => {
    const server = live.current;
    const room = await createClassroom(server);
    const board = await client(server);
    ok(await board.emitWithAck('board:watch', { code: room.code }));
    const students = [];
    for (const name of ['Wendy', 'Ed', 'Walt', 'Eve']) students.push(await joinAs(server, room.code, name));
    ok(await room.admin.emitWithAck('admin:strategy', { strategy: 'lww' }));
    ok(await room.admin.emitWithAck('admin:partition', { mode: 'cut' }));
    for (const s of students) {
      ok(await s.socket.emitWithAck('post:create', { opId: opId(), text: `${s.joined.snapshot.me.name} in the split`, parentId: null }));
      ok(await s.socket.emitWithAck('post:edit', { opId: opId(), postId: 'pinned', text: `${s.joined.snapshot.me.name}'s notes` }));
    }
    // What the writes caused has been sent: the board's batch shows the last of them.
    await nextEvent(board, 'class:changed', (c) => c.divergence.changedOnBoth === 1 && c.counts.east.threads === 2 && c.counts.west.threads === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const screens = [room.admin, board, ...students.map((s) => s.socket)];
    const counts = screens.map(countEvents);
    const converged = students.map((s) => nextEvent(s.socket, 'heal:converged'));
    const healed = Promise.all([nextEvent(room.admin, 'class:healed'), nextEvent(board, 'class:healed')]);
    ok(await room.admin.emitWithAck('admin:partition', { mode: 'up' }));
    const views = (await Promise.all(converged)).map(([v]) => v);
    const [[adminView], [boardView]] = await healed;
    // Anything else would have been sent with the heal, in the same tick.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(counts.map((c) => Object.fromEntries(c))).toEqual([
      { 'class:healed': 1 },
      { 'class:healed': 1 },
      ...students.map(() => ({ 'heal:converged': 1 })),
    ]);
    const lost = adminView.lastHeal?.lost ?? [];
    expect(lost.length).toBeGreaterThan(0);
    for (const view of views) {
      expect(view.posts.filter((p) => !p.pinned).map((p) => p.text).sort()).toEqual(students.map((s) => `${s.joined.snapshot.me.name} in the split`).sort());
      expect(view.settings.link.mode).toBe('up');
      // A student's report: the counts, the board's sample (here every item, so the feeds mark the
      // same posts as the board) and their own items beyond it.
      expect(view.lastHeal?.totals).toEqual(adminView.lastHeal?.totals);
      expect(view.lastHeal?.lost).toEqual(lost);
    }
    expect(adminView.divergence).toEqual({ onlyWest: 0, onlyEast: 0, changedOnBoth: 0, likesDiffer: 0 });
    expect(boardView.posts.west.map((p) => p.id).sort()).toEqual(boardView.posts.east.map((p) => p.id).sort());
    expect(boardView.lastHeal?.totals.lost).toBe(lost.length);
  });
});
