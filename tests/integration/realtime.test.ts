import { io as connect } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../server/protocol/index.ts';
import { client, createClassroom, joinAs, nextEvent, ok, opId, serverPerTest } from '../support/server.ts';

const live = serverPerTest();

async function twoStudents() {
  const room = await createClassroom(live.current);
  const west = await joinAs(live.current, room.code, 'Wendy');
  const east = await joinAs(live.current, room.code, 'Ed');
  return { room, west, east };
}

describe('a live classroom over Socket.IO', () => {
  it('balances students across the datacenters and resumes an identity from its token', async () => {
    const { room, west, east } = await twoStudents();
    expect(west.joined.snapshot.dc).toBe('west');
    expect(east.joined.snapshot.dc).toBe('east');
    const again = await client(live.current);
    const resumed = ok(await again.emitWithAck('session:join', { code: room.code, token: west.joined.token }));
    expect(resumed.snapshot.me.id).toBe(west.joined.snapshot.me.id);
    expect(resumed.snapshot.dc).toBe('west');
  });

  it('[NET1] a West post reaches the East student only after the link latency', async () => {
    const { room, west, east } = await twoStudents();
    ok(await room.admin.emitWithAck('admin:link', { latencyMs: 300, jitterMs: 0 }));
    const arrived = nextEvent(east.socket, 'post:changed', (c) => c.post.text === 'hello east');
    const sent = Date.now();
    const post = ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'hello east', parentId: null }));
    // The delivery tells West only the id: its post is no longer pending.
    const caughtUp = nextEvent(west.socket, 'posts:settled', (c) => c.dc === 'west' && c.ids.includes(post.id));
    expect(post.pending).toBe(true);
    const [change] = await arrived;
    expect(Date.now() - sent).toBeGreaterThanOrEqual(290);
    expect(change.dc).toBe('east');
    expect(change.post.createdIn).toBe('west');
    expect(change.post.authorName).toBe('Wendy');
    await caughtUp;
  });

  it('a student sees only their own datacenter; the board sees both', async () => {
    const { room, west, east } = await twoStudents();
    const board = await client(live.current);
    ok(await board.emitWithAck('board:watch', { code: room.code }));
    ok(await room.admin.emitWithAck('admin:link', { latencyMs: 50, jitterMs: 0 }));
    const dcsOnEast: string[] = [];
    east.socket.on('post:changed', (c) => dcsOnEast.push(c.dc));
    const boardSawEast = nextEvent(board, 'class:changed', (c) => c.posts.east.some((p) => p.text === 'both'));
    const boardSawWest = nextEvent(board, 'class:changed', (c) => c.posts.west.some((p) => p.text === 'both'));
    const eastSaw = nextEvent(east.socket, 'post:changed', (c) => c.post.text === 'both');
    ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'both', parentId: null }));
    await Promise.all([boardSawEast, boardSawWest, eastSaw]);
    expect(new Set(dcsOnEast)).toEqual(new Set(['east']));
  });

  it('likes count across datacenters', async () => {
    const { room, west, east } = await twoStudents();
    ok(await room.admin.emitWithAck('admin:link', { latencyMs: 20, jitterMs: 0 }));
    const arrived = nextEvent(east.socket, 'post:changed', (c) => c.post.text === 'like me');
    const post = ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'like me', parentId: null }));
    await arrived;
    const liked = ok(await east.socket.emitWithAck('post:like', { opId: opId(), postId: post.id }));
    expect(liked.likeCount).toBe(1);
    const [seen] = await nextEvent(west.socket, 'post:changed', (c) => c.post.id === post.id && c.post.likeCount === 1);
    expect(seen.post.likedBy).toEqual([east.joined.snapshot.me.id]);
  });

  it('[REL2] a retried op id is applied once and answered with the same post', async () => {
    const { room, west } = await twoStudents();
    const payload = { opId: opId(), text: 'only once', parentId: null };
    const first = ok(await west.socket.emitWithAck('post:create', payload));
    const second = ok(await west.socket.emitWithAck('post:create', payload));
    expect(second.id).toBe(first.id);
    const view = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
    expect(view.posts.west.filter((p) => p.text === 'only once')).toHaveLength(1);
  });
});

describe('[REL3] reconnecting', () => {
  it('[REL3] a student who drops off and comes back gets everything they missed, once', async () => {
    const { room, west, east } = await twoStudents();
    ok(await room.admin.emitWithAck('admin:link', { latencyMs: 10, jitterMs: 0 }));
    east.socket.disconnect();
    const texts = ['missed one', 'missed two', 'missed three'];
    for (const text of texts) ok(await west.socket.emitWithAck('post:create', { opId: opId(), text, parentId: null }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const back = await client(live.current);
    const resumed = ok(await back.emitWithAck('session:join', { code: room.code, token: east.joined.token }));
    const seen = resumed.snapshot.posts.map((p) => p.text);
    for (const text of texts) expect(seen.filter((t) => t === text)).toHaveLength(1);
    // And from then on it is live again.
    const liveAgain = nextEvent(back, 'post:changed', (c) => c.post.text === 'live again');
    ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'live again', parentId: null }));
    await liveAgain;
  });
});

describe('[SEC1] [SEC2] bad input and authority', () => {
  it('[SEC2] malformed, oversize and unknown-session payloads get an error ack and the server keeps serving', async () => {
    const { room, west } = await twoStudents();
    const bad = [
      await west.socket.emitWithAck('post:create', { opId: opId(), text: '', parentId: null }),
      await west.socket.emitWithAck('post:create', { opId: opId(), text: 'x'.repeat(501), parentId: null }),
      await west.socket.emitWithAck('post:create', { text: 'no op id' } as never),
      await west.socket.emitWithAck('post:create', 'not an object' as never),
      await west.socket.emitWithAck('post:edit', { opId: opId(), postId: 'nope', text: 'x', extra: 1 } as never),
      await west.socket.emitWithAck('session:join', { code: 'ZZZZZZ', name: 'x' }),
      await west.socket.emitWithAck('session:join', { code: 'bad!', name: 'x' }),
    ];
    expect(bad.map((a) => (a.ok ? 'ok' : a.error.code))).toEqual([
      'bad_request',
      'bad_request',
      'bad_request',
      'bad_request',
      'bad_request',
      'unknown_session',
      'bad_request',
    ]);
    // A frame without an ack callback is dropped; the connection and the server stay up.
    west.socket.emit('post:create', { opId: opId(), text: 'no ack', parentId: null }, undefined as never);
    const stillServing = ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'still here', parentId: null }));
    expect(stillServing.text).toBe('still here');
    const view = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
    expect(view.posts.west.map((p) => p.text).sort()).toEqual(['Class notes: anyone may edit this post.', 'still here']);
  });

  it('[SEC2] a socket that has not joined cannot write', async () => {
    const stranger = await client(live.current);
    const ack = await stranger.emitWithAck('post:create', { opId: opId(), text: 'hi', parentId: null });
    expect(ack.ok ? 'ok' : ack.error.code).toBe('not_joined');
  });

  it('[SEC1] admin commands need the instructor secret; a student edits only their own posts', async () => {
    const { room, west, east } = await twoStudents();
    const asStudent = await west.socket.emitWithAck('admin:reset', {});
    expect(asStudent.ok ? 'ok' : asStudent.error.code).toBe('forbidden');
    const intruder = await client(live.current);
    const wrong = await intruder.emitWithAck('admin:watch', { code: room.code, secret: 'x'.repeat(32) });
    expect(wrong.ok ? 'ok' : wrong.error.code).toBe('forbidden');
    expect((await intruder.emitWithAck('admin:link', { latencyMs: 1, jitterMs: 0 })).ok).toBe(false);
    ok(await room.admin.emitWithAck('admin:link', { latencyMs: 10, jitterMs: 0 }));
    const arrived = nextEvent(east.socket, 'post:changed', (c) => c.post.text === 'mine');
    const post = ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'mine', parentId: null }));
    await arrived;
    const edit = await east.socket.emitWithAck('post:edit', { opId: opId(), postId: post.id, text: 'yours now' });
    expect(edit.ok ? 'ok' : edit.error.code).toBe('not_author');
  });

  it('refuses a client that speaks another protocol version', async () => {
    await expect(client(live.current, { protocol: 999 })).rejects.toThrow(/protocol/);
  });
});

describe('[SEC3] handshake origin and write rate', () => {
  it('[SEC3] a page from another site is refused at the handshake; the same origin is let in', async () => {
    const url = new URL(live.current.url);
    const foreign = connect(live.current.url, { auth: { protocol: PROTOCOL_VERSION }, transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { origin: 'http://evil.example' } });
    const refused = await new Promise<string>((resolve) => {
      foreign.once('connect', () => resolve('connected'));
      foreign.once('connect_error', (error) => resolve(error.message));
    });
    foreign.disconnect();
    expect(refused).not.toBe('connected');
    const own = connect(live.current.url, { auth: { protocol: PROTOCOL_VERSION }, transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { origin: `http://${url.host}` } });
    await new Promise<void>((resolve, reject) => {
      own.once('connect', () => resolve());
      own.once('connect_error', reject);
    });
    own.disconnect();
  });

  it('[SEC3] each participant is rate-limited: a flood gets an error ack, nothing past the limit is stored, others carry on', async () => {
    const { room, west, east } = await twoStudents();
    const acks = await Promise.all(
      Array.from({ length: 45 }, (_, i) => west.socket.emitWithAck('post:create', { opId: opId(), text: `flood ${i}`, parentId: null })),
    );
    const refused = acks.filter((a) => !a.ok);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((a) => !a.ok && a.error.code === 'rate_limited')).toBe(true);
    ok(await east.socket.emitWithAck('post:create', { opId: opId(), text: 'someone else is fine', parentId: null }));
    const view = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
    expect(view.posts.west.filter((p) => p.text.startsWith('flood '))).toHaveLength(acks.length - refused.length);
  });
});
