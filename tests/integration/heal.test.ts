import { describe, expect, it } from 'vitest';
import { client, createClassroom, joinAs, nextEvent, ok, opId, serverPerTest } from '../support/server.ts';

/** The server's clock: real time plus what a test adds, so "later in true time" never lands in the same millisecond. */
let ahead = 0;
const live = serverPerTest({ clock: () => Date.now() + ahead });

async function splitClass(strategy: 'lww' | 'merge' | 'human') {
  const room = await createClassroom(live.current);
  const west = await joinAs(live.current, room.code, 'Wendy');
  const east = await joinAs(live.current, room.code, 'Ed');
  ok(await room.admin.emitWithAck('admin:link', { latencyMs: 20, jitterMs: 0 }));
  ok(await room.admin.emitWithAck('admin:strategy', { strategy }));
  ok(await room.admin.emitWithAck('admin:partition', { mode: 'cut' }));
  return { room, west, east };
}

describe('healing over Socket.IO', () => {
  it('[HUM2] both students see the conflict banner data; the author of the pinned post may be anyone; the choice clears it everywhere', async () => {
    const { room, west, east } = await splitClass('human');
    ok(await west.socket.emitWithAck('post:edit', { opId: opId(), postId: 'pinned', text: 'West notes' }));
    ok(await east.socket.emitWithAck('post:edit', { opId: opId(), postId: 'pinned', text: 'East notes' }));

    const board = await client(live.current);
    ok(await board.emitWithAck('board:watch', { code: room.code }));
    const preview = ok(await board.emitWithAck('heal:preview', {}));
    expect(preview.human.conflicts.map((c) => c.postId)).toEqual(['pinned']);
    expect(preview.merge.duplicates).toHaveLength(1);
    expect(preview.lww.lost).toHaveLength(1);
    const studentPreview = await west.socket.emitWithAck('heal:preview', {});
    expect(studentPreview.ok ? 'ok' : studentPreview.error.code).toBe('forbidden');

    // SNAP1: each student's converged view, in one message, carries the banner's data and the report.
    const convergedWest = nextEvent(west.socket, 'heal:converged');
    const convergedEast = nextEvent(east.socket, 'heal:converged');
    ok(await room.admin.emitWithAck('admin:partition', { mode: 'up' }));
    const [[sw], [se]] = await Promise.all([convergedWest, convergedEast]);
    const w = sw.posts.find((p) => p.id === 'pinned');
    const e = se.posts.find((p) => p.id === 'pinned');
    expect(w?.siblings?.map((s) => [s.dc, s.text, s.byName])).toEqual([
      ['west', 'West notes', 'Wendy'],
      ['east', 'East notes', 'Ed'],
    ]);
    expect(e?.siblings).toEqual(w?.siblings);
    expect(se.lastHeal?.conflicts).toHaveLength(1);
    expect(se.lastHeal?.totals.conflicts).toBe(1);

    const clearedOnWest = nextEvent(west.socket, 'post:changed', (c) => c.post.id === 'pinned' && c.post.siblings === null);
    const chosen = ok(await east.socket.emitWithAck('conflict:resolve', { opId: opId(), postId: 'pinned', keep: 'west' }));
    expect(chosen).toMatchObject({ siblings: null, text: 'West notes' });
    const [cleared] = await clearedOnWest;
    expect(cleared.post.text).toBe('West notes');
  });

  it('[LWW3] after an LWW heal, the snapshot carries the report a student\'s ledger is built from', async () => {
    const { room, west, east } = await splitClass('lww');
    ok(await room.admin.emitWithAck('admin:skew', { dc: 'east', skewMs: -4000 }));
    ok(await west.socket.emitWithAck('post:edit', { opId: opId(), postId: 'pinned', text: 'West' }));
    ahead += 1000;
    ok(await east.socket.emitWithAck('post:edit', { opId: opId(), postId: 'pinned', text: 'East, later in true time' }));
    const reported = nextEvent(east.socket, 'heal:converged');
    ok(await room.admin.emitWithAck('admin:partition', { mode: 'up' }));
    const [{ lastHeal: report }] = await reported;
    if (!report) throw new Error('the converged view has no report');
    expect(report.lost.map((l) => [l.lost.byName, l.lost.text])).toEqual([['Ed', 'East, later in true time']]);
    // The facts a ledger phrases: East's clock 4 s behind, the write about 1 s later in true time.
    expect(report.lost[0]).toMatchObject({ decidedBy: 'later-timestamp', skew: { behindMs: 4000 } });
    expect(report.lost[0]?.skew?.laterMs).toBeGreaterThanOrEqual(1000);
    expect(report.lost[0]?.skew?.laterMs).toBeLessThan(2000);
    const again = ok(await east.socket.emitWithAck('session:join', { code: room.code, token: east.joined.token }));
    expect(again.snapshot.lastHeal?.lost[0]?.lost.byId).toBe(east.joined.snapshot.me.id);
  });
});
