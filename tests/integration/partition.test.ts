import { describe, expect, it } from 'vitest';
import { createClassroom, joinAs, nextEvent, ok, opId, serverPerTest } from '../support/server.ts';

const live = serverPerTest();

async function splitClass() {
  const room = await createClassroom(live.current);
  const west = await joinAs(live.current, room.code, 'Wendy');
  const east = await joinAs(live.current, room.code, 'Ed');
  ok(await room.admin.emitWithAck('admin:link', { latencyMs: 30, jitterMs: 0 }));
  return { room, west, east };
}

describe('partitions over Socket.IO', () => {
  it('[NET2] during a split a West post never reaches an East client; on heal it does', async () => {
    const { room, west, east } = await splitClass();
    const banner = nextEvent(east.socket, 'settings:changed', (s) => s.link.mode === 'cut');
    ok(await room.admin.emitWithAck('admin:partition', { mode: 'cut' }));
    const [settings] = await banner;
    expect(settings.link.since).toEqual(expect.any(Number));
    const seenOnEast: string[] = [];
    east.socket.on('post:changed', (c) => seenOnEast.push(c.post.text));
    const post = ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'split post', parentId: null }));
    expect(post.pending).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300)); // ten times the latency
    expect(seenOnEast).not.toContain('split post');
    // SNAP1: the heal brings East its converged view in one message.
    const arrives = nextEvent(east.socket, 'heal:converged', (s) => s.posts.some((p) => p.text === 'split post'));
    ok(await room.admin.emitWithAck('admin:partition', { mode: 'up' }));
    const [converged] = await arrives;
    expect(converged.dc).toBe('east');
  });

  it('[CAP1] in strict mode a West write during a split gets an error ack with the reason and is not stored', async () => {
    const { room, west, east } = await splitClass();
    ok(await room.admin.emitWithAck('admin:consistency', { w: 3, r: 3 }));
    const settings = ok(await room.admin.emitWithAck('admin:partition', { mode: 'cut' }));
    expect(settings.preset).toBe('strict');
    expect(settings.quorum.west).toMatchObject({ canWrite: false, canRead: false, writeRefusal: 'West can reach 2 of 5 nodes; writes need 3.' });
    const refused = await west.socket.emitWithAck('post:create', { opId: opId(), text: 'refused', parentId: null });
    expect(refused).toEqual({ ok: false, error: { code: 'no_quorum', message: 'West can reach 2 of 5 nodes; writes need 3.' } });
    ok(await east.socket.emitWithAck('post:create', { opId: opId(), text: 'East carries on', parentId: null }));
    const view = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
    expect(view.posts.west.map((p) => p.text)).not.toContain('refused');
    expect(view.posts.east.map((p) => p.text)).toContain('East carries on');
  });

  it('[FO1] the instructor moves a student: same identity, their screen follows, their next write originates in East', async () => {
    const { room, west } = await splitClass();
    ok(await room.admin.emitWithAck('admin:partition', { mode: 'cut' }));
    const told = nextEvent(west.socket, 'me:moved');
    const moved = ok(await room.admin.emitWithAck('admin:move', { participantId: west.joined.snapshot.me.id, to: 'east' }));
    expect(moved.home).toBe('east');
    const [{ to }] = await told;
    expect(to).toBe('east');
    const again = ok(await west.socket.emitWithAck('session:join', { code: room.code, token: west.joined.token }));
    expect(again.snapshot.me.id).toBe(west.joined.snapshot.me.id);
    expect(again.snapshot.dc).toBe('east');
    const post = ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'now from East', parentId: null }));
    expect(post.createdIn).toBe('east');
  });

  it('[FO1] a student switches datacenter themselves until the instructor locks it', async () => {
    const { room, east } = await splitClass();
    const switched = ok(await east.socket.emitWithAck('me:switch', {}));
    expect(switched.dc).toBe('west');
    ok(await room.admin.emitWithAck('admin:lockSwitch', { locked: true }));
    const locked = await east.socket.emitWithAck('me:switch', {});
    expect(locked.ok ? 'ok' : locked.error.code).toBe('locked');
  });

  it('[SEC1] students cannot cut the link, skew clocks or move people', async () => {
    const { west, east } = await splitClass();
    for (const ack of [
      await west.socket.emitWithAck('admin:partition', { mode: 'cut' }),
      await west.socket.emitWithAck('admin:skew', { dc: 'west', skewMs: 1000 }),
      await west.socket.emitWithAck('admin:consistency', { w: 3, r: 3 }),
      await west.socket.emitWithAck('admin:move', { participantId: east.joined.snapshot.me.id, to: 'west' }),
    ]) {
      expect(ack.ok ? 'ok' : ack.error.code).toBe('forbidden');
    }
  });
});
