/**
 * [MP1] Two server processes of one session on one PostgreSQL database: students connected to
 * different processes see each other's posts, the split and the heal. Two real Socket.IO servers in
 * this test process, each with its own store (cluster mode), leases and PostgreSQL adapter, and real
 * socket.io-client sockets; the session is owned by the first, every event reaching the second is
 * forwarded to it. And [MP2] on a live owner: one whose lease ran out (it paused past it) stops
 * serving, and the command it could not store is served by whoever takes the session.
 */
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProxy, type RunningProxy } from '../../scripts/cluster-proxy.ts';
import type { RunningServer } from '../../server/app.ts';
import { PROTOCOL_VERSION } from '../../server/protocol/index.ts';
import { leasesOf, startMember } from '../support/cluster.ts';
import { skipUnlessPostgres, startPostgres, type TempPostgres } from '../support/postgres.ts';
import { client, createClassroom, joinAs, nextEvent, ok, opId, type Client } from '../support/server.ts';

const skip = skipUnlessPostgres('the two-process suite ([MP1])');

describe.skipIf(skip)('[MP1] students on two processes of one session', () => {
  let postgres: TempPostgres;
  let proxy: RunningProxy;
  let a: RunningServer;
  let b: RunningServer;
  const sockets: Client[] = [];

  beforeAll(async () => {
    postgres = await startPostgres();
    const url = await postgres.createDatabase('cluster');
    // The proxy first: the members answer to its address too (SEC7).
    proxy = await startProxy(0, '127.0.0.1');
    const allowedOrigins = [`http://127.0.0.1:${proxy.port}`];
    a = await startMember(url, { allowedOrigins });
    b = await startMember(url, { allowedOrigins });
    proxy.targets.push(a.url, b.url);
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await proxy?.close();
    await a?.close();
    await b?.close();
    await postgres?.stop();
  });

  it('[MP1] posts, a split and a heal reach the students and the board of the other process', async () => {
    const room = await createClassroom(a);
    sockets.push(room.admin);
    ok(await room.admin.emitWithAck('admin:consistency', { w: 1, r: 1 }));
    // The board watches from B: forwarded to A, the owner.
    const board = await client(b);
    sockets.push(board);
    ok(await board.emitWithAck('board:watch', { code: room.code }));
    // Balanced placement: West, East, West.
    const wA = await joinAs(a, room.code, 'Wendy on A');
    const eB = await joinAs(b, room.code, 'Ed on B');
    const wB = await joinAs(b, room.code, 'Will on B');
    sockets.push(wA.socket, eB.socket, wB.socket);
    expect([wA.joined.snapshot.dc, eB.joined.snapshot.dc, wB.joined.snapshot.dc]).toEqual(['west', 'east', 'west']);
    // One owner: A runs the session; B never loaded it, it forwarded.
    expect(a.realtime.session(room.code)).toBeDefined();
    expect(b.realtime.session(room.code)).toBeUndefined();

    // A post written on B reaches West's students on both processes, and the board on B.
    const fromB = opId();
    const seenOnA = nextEvent(wA.socket, 'post:changed', ({ dc, post }) => dc === 'west' && post.id === fromB);
    const seenOnB = nextEvent(wB.socket, 'post:changed', ({ dc, post }) => dc === 'west' && post.id === fromB);
    const boardSaw = nextEvent(board, 'class:changed', (change) => change.posts.east.some((p) => p.id === fromB));
    ok(await eB.socket.emitWithAck('post:create', { opId: fromB, parentId: null, text: 'hello from East, process B' }));
    await Promise.all([seenOnA, seenOnB, boardSaw]);

    // A post written on A reaches its side's student on B at once.
    const fromA = opId();
    const sideOnB = nextEvent(wB.socket, 'post:changed', ({ dc, post }) => dc === 'west' && post.id === fromA && post.text === 'hello from West, process A');
    ok(await wA.socket.emitWithAck('post:create', { opId: fromA, parentId: null, text: 'hello from West, process A' }));
    await sideOnB;

    // The instructor on A splits: the students and the board on B are told.
    const splitOnB = nextEvent(eB.socket, 'settings:changed', (s) => s.link.mode === 'cut');
    const boardSplit = nextEvent(board, 'settings:changed', (s) => s.link.mode === 'cut');
    ok(await room.admin.emitWithAck('admin:partition', { mode: 'cut' }));
    await Promise.all([splitOnB, boardSplit]);

    // During the split each side writes; West's student on B does not see East's post...
    const eastOnly = opId();
    const westOnly = opId();
    ok(await eB.socket.emitWithAck('post:create', { opId: eastOnly, parentId: null, text: 'East during the split' }));
    const westSaw = nextEvent(wB.socket, 'post:changed', ({ post }) => post.id === westOnly);
    ok(await wA.socket.emitWithAck('post:create', { opId: westOnly, parentId: null, text: 'West during the split' }));
    await westSaw;

    // ...until the heal: every screen on B gets its converged view with both.
    const convergedW = nextEvent(wB.socket, 'heal:converged');
    const convergedE = nextEvent(eB.socket, 'heal:converged');
    const boardHealed = nextEvent(board, 'class:healed');
    ok(await room.admin.emitWithAck('admin:partition', { mode: 'up' }));
    const [[west], [east], [healed]] = await Promise.all([convergedW, convergedE, boardHealed]);
    expect(west.posts.map((p) => p.id)).toEqual(expect.arrayContaining([eastOnly, westOnly, fromA, fromB]));
    expect(east.posts.map((p) => p.id)).toEqual(expect.arrayContaining([eastOnly, westOnly, fromA, fromB]));
    expect(healed.link.mode).toBe('up');
    expect(healed.posts.west.map((p) => p.id)).toEqual(expect.arrayContaining([eastOnly, westOnly]));

    // PRES1 across processes: a student leaving B is offline on the board, told by A.
    const offline = nextEvent(board, 'participant:presence', ({ id, online }) => id === wB.joined.snapshot.me.id && !online);
    wB.socket.disconnect();
    await offline;
  }, 60_000);

  it('[MP1] through the proxy, pages on long-polling stay on one process each (its cookie) and share the session', async () => {
    // A browser keeps the proxy's cookie; socket.io-client does with withCredentials. Polling only: no upgrade.
    const page = () => connect(`http://127.0.0.1:${proxy.port}`, { auth: { protocol: PROTOCOL_VERSION }, transports: ['polling'], withCredentials: true, forceNew: true, reconnection: false }) as Client;
    const teacher = page();
    const pupil = page();
    sockets.push(teacher, pupil);
    const { code, secret } = ok(await teacher.emitWithAck('session:create', {}));
    ok(await teacher.emitWithAck('admin:watch', { code, secret }));
    const joined = ok(await pupil.emitWithAck('session:join', { code, name: 'Polly' }));
    const seen = nextEvent(teacher, 'participant:joined', (p) => p.name === 'Polly 2');
    const again = page();
    sockets.push(again);
    ok(await again.emitWithAck('session:join', { code, name: 'Polly 2' }));
    await seen;
    expect(joined.snapshot.code).toBe(code);
  });

  it('[MP1] the export downloads from a process that does not own the session, with what was written through either', async () => {
    const room = await createClassroom(a);
    const student = await joinAs(b, room.code, 'Bea on B');
    sockets.push(room.admin, student.socket);
    const id = opId();
    ok(await student.socket.emitWithAck('post:create', { opId: id, parentId: null, text: 'written through B' }));
    expect(b.realtime.session(room.code)).toBeUndefined();
    const response = await fetch(`${b.url}/api/export/${room.code}.json`, { headers: { authorization: `Bearer ${room.secret}` } });
    expect(response.status).toBe(200);
    const exported = (await response.json()) as { log: { key: string }[] };
    expect(exported.log.map((entry) => entry.key)).toContain(id);
    const denied = await fetch(`${b.url}/api/export/${room.code}.json`, { headers: { authorization: 'Bearer not-the-secret-at-all' } });
    expect(denied.status).toBe(403);
  });

  it('[MP1] the consensus view keeps playing on a board whose process does not own the session', async () => {
    const creator = await client(a);
    const board = await client(b);
    sockets.push(creator, board);
    const { code } = ok(await creator.emitWithAck('session:create', {}));
    ok(await board.emitWithAck('board:watch', { code }));
    // Nobody on A, the owner, watches: only B's board does.
    ok(await board.emitWithAck('consensus:watch', {}));
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await nextEvent(board, 'consensus:frame', () => true, 3000);
  });

  it('[MP2] an owner that lost its lease (paused past it) stops serving; the next commands are served by the process that takes it', async () => {
    const room = await createClassroom(a);
    const onA = await joinAs(a, room.code, 'Ann on A');
    const onB = await joinAs(b, room.code, 'Ben on B');
    sockets.push(room.admin, onA.socket, onB.socket);
    const first = a.realtime.session(room.code);
    const sessionId = first?.record.id ?? '';
    const before = opId();
    ok(await onB.socket.emitWithAck('post:create', { opId: before, parentId: null, text: 'before the pause' }));
    // A's lease runs out now, as if A had stalled for longer than it: A's next write is refused by the fence.
    await leasesOf(a).claim(sessionId, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const after = opId();
    ok(await onB.socket.emitWithAck('post:create', { opId: after, parentId: null, text: 'after the pause' }));
    // A's student is served wherever the session lives now, and both posts are there once, in the log it replayed.
    const seen = nextEvent(onB.socket, 'post:changed', ({ post }) => post.text === 'from A after the move');
    ok(await onA.socket.emitWithAck('post:create', { opId: opId(), parentId: null, text: 'from A after the move' }));
    await seen;
    // Whoever took the lease serves (B, or A again if its renewal saw the loss first and it claimed anew): one
    // process, with a runtime rebuilt from the log, never the one that stalled.
    const owner = await leasesOf(a).ownerOf(sessionId);
    const [serving, other] = leasesOf(a).owner === owner ? [a, b] : [b, a];
    expect(leasesOf(serving).owner).toBe(owner);
    expect(other.realtime.session(room.code)).toBeUndefined();
    const runtime = serving.realtime.session(room.code);
    expect(runtime).toBeDefined();
    expect(runtime).not.toBe(first);
    expect([before, after].map((id) => runtime?.state.replicas.west.posts.has(id) || runtime?.state.replicas.east.posts.has(id))).toEqual([true, true]);
  });

  it('[MP2] a write on the owner whose lease just ran out is refused by the fence, then served after the session is taken again, once', async () => {
    const room = await createClassroom(a);
    const onA = await joinAs(a, room.code, 'Ada on A');
    sockets.push(room.admin, onA.socket);
    const sessionId = a.realtime.session(room.code)?.record.id ?? '';
    await leasesOf(a).claim(sessionId, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const id = opId();
    const view = ok(await onA.socket.emitWithAck('post:create', { opId: id, parentId: null, text: 'written as the lease ran out' }));
    expect(view.id).toBe(id);
    // The runtime that was refused is gone; the one serving now replayed the log, where the post is once.
    const serving = a.realtime.session(room.code) ?? b.realtime.session(room.code);
    expect(serving?.state.replicas.west.posts.get(id)?.text ?? serving?.state.replicas.east.posts.get(id)?.text).toBe('written as the lease ran out');
    expect(await leasesOf(a).ownerOf(sessionId)).not.toBeNull();
  });
});
