/**
 * What is acknowledged is stored (REL1), and what is stored is the truth (REL4): a store that
 * fails or holds, group commit, a store that already holds a key, a log with a gap, a log that
 * cannot be replayed. Real servers and socket.io-client; SQLite where a restart is involved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app.ts';
import { createMemoryStore } from '../../server/persistence/memory-store.ts';
import { createPrismaStore } from '../../server/persistence/prisma-store.ts';
import type { Store } from '../../server/persistence/store.ts';
import type { Command } from '../../server/sim/index.ts';
import { client, createClassroom, joinAs, ok, opId, startTestServer } from '../support/server.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'sbl-durability-'));
let files = 0;
const dbFile = () => path.join(dir, `d${++files}.db`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
});
async function serve(store: Store, options: Parameters<typeof startTestServer>[1] = {}): Promise<RunningServer> {
  const server = await startTestServer(store, options);
  running.push(server);
  return server;
}
async function stop(server: RunningServer): Promise<void> {
  running.splice(running.indexOf(server), 1);
  await server.close();
}

/** A real memory store whose group commits can be made to fail or to wait, and which counts them. */
function gatedStore() {
  const inner = createMemoryStore();
  let mode: 'pass' | 'fail' | 'hold' = 'pass';
  const held: (() => void)[] = [];
  let called: () => void = () => {};
  const gate = {
    /** Entries per appendMany call, in order. */
    batches: [] as number[],
    fail() {
      mode = 'fail';
    },
    /** Holds the next commits; resolves once the first of them reaches the store. */
    hold(): Promise<void> {
      mode = 'hold';
      return new Promise<void>((resolve) => {
        called = resolve;
      });
    },
    release() {
      mode = 'pass';
      for (const go of held.splice(0)) go();
    },
    store: {
      ...inner,
      async appendMany(sessionId, batch) {
        gate.batches.push(batch.length);
        if (mode === 'fail') throw new Error('disk full');
        if (mode === 'hold') {
          const wait = new Promise<void>((resolve) => held.push(resolve));
          called();
          await wait;
        }
        return inner.appendMany(sessionId, batch);
      },
    } satisfies Store,
  };
  return gate;
}

const postTexts = (posts: { text: string }[]) => posts.map((p) => p.text).sort();

describe('[REL1] acknowledged only after stored', () => {
  it('[REL1] a store that fails: the writer gets an error ack, and the state is unchanged', async () => {
    const gate = gatedStore();
    const server = await serve(gate.store);
    const room = await createClassroom(server);
    const west = await joinAs(server, room.code, 'Wendy');
    ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'stored', parentId: null }));
    const before = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));

    gate.fail();
    const lost = { opId: opId(), text: 'not stored', parentId: null };
    const refused = await west.socket.emitWithAck('post:create', lost);
    expect(refused).toMatchObject({ ok: false, error: { code: 'internal' } });
    const after = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
    expect(after.posts).toEqual(before.posts);
    expect(after.divergence).toEqual(before.divergence);

    // The page's retry, once the store works again, is applied and stored once.
    gate.release();
    expect(ok(await west.socket.emitWithAck('post:create', lost)).text).toBe('not stored');
    const log = await gate.store.readLog(server.realtime.session(room.code)!.record.id);
    expect(log.filter((e) => e.key === lost.opId)).toHaveLength(1);
  });

  it('[REL1] a store that holds: no ack arrives before it resolves', async () => {
    const gate = gatedStore();
    const server = await serve(gate.store);
    const room = await createClassroom(server);
    const west = await joinAs(server, room.code, 'Wendy');

    const order: string[] = [];
    const reached = gate.hold();
    const write = west.socket.emitWithAck('post:create', { opId: opId(), text: 'held', parentId: null }).then((ack) => {
      order.push('ack');
      return ack;
    });
    await reached;
    // A full round trip on the same socket: an early ack would have arrived before this answer.
    await west.socket.emitWithAck('heal:preview', {});
    order.push('released');
    gate.release();
    expect(ok(await write).text).toBe('held');
    expect(order).toEqual(['released', 'ack']);
  });

  it('[REL1] writes that queue up while the store is busy are stored in one transaction, each acknowledged', async () => {
    const gate = gatedStore();
    const server = await serve(gate.store, { rateLimit: null });
    const room = await createClassroom(server);
    const west = await joinAs(server, room.code, 'Wendy');
    const east = await joinAs(server, room.code, 'Ed');

    gate.batches.length = 0;
    const reached = gate.hold();
    const first = west.socket.emitWithAck('post:create', { opId: opId(), text: 'first', parentId: null });
    await reached;
    const queued = [west.socket, east.socket, west.socket, east.socket, west.socket].map((socket, i) =>
      socket.emitWithAck('post:create', { opId: opId(), text: `queued ${i}`, parentId: null }),
    );
    // Round trips on both sockets: every queued write has reached the session's queue.
    await Promise.all([west.socket.emitWithAck('heal:preview', {}), east.socket.emitWithAck('heal:preview', {})]);
    gate.release();
    for (const ack of await Promise.all([first, ...queued])) ok(ack);
    expect(gate.batches).toEqual([1, 5]);
    const log = await gate.store.readLog(server.realtime.session(room.code)!.record.id);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i));
  });
});

describe('[REL4] the store is the truth', () => {
  it('[REL4] likes with op ids __proto__, constructor and toString are answered once each, and the session still takes writes and joins after a restart', async () => {
    const file = dbFile();
    const first = await serve(await createPrismaStore(file));
    const room = await createClassroom(first);
    const west = await joinAs(first, room.code, 'Wendy');
    const east = await joinAs(first, room.code, 'Ed');
    // Nothing reaches the other side while the test runs, however slow the machine: before and after compare as they are.
    ok(await room.admin.emitWithAck('admin:link', { latencyMs: 10_000, jitterMs: 0 }));
    for (const id of ['__proto__', 'constructor', 'toString']) {
      const socket = id === 'constructor' ? east.socket : west.socket;
      ok(await socket.emitWithAck('post:like', { opId: id, postId: 'pinned' }));
      ok(await socket.emitWithAck('post:like', { opId: id, postId: 'pinned' }));
    }
    ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'after the likes', parentId: null }));
    const before = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
    await stop(first);

    const second = await serve(await createPrismaStore(file));
    const admin = await client(second);
    const after = ok(await admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
    expect(after.posts).toEqual(before.posts);
    const back = await client(second);
    ok(await back.emitWithAck('session:join', { code: room.code, token: west.joined.token }));
    expect(ok(await back.emitWithAck('post:create', { opId: opId(), text: 'after the restart', parentId: null })).text).toBe('after the restart');
    expect((await joinAs(second, room.code, 'Newcomer')).joined.snapshot.me.name).toBe('Newcomer');
  });

  it('[REL4] a write whose key the store already holds is answered as a retry: not applied, not stored twice', async () => {
    const file = dbFile();
    const store = await createPrismaStore(file);
    const server = await serve(store);
    const room = await createClassroom(server);
    const west = await joinAs(server, room.code, 'Wendy');
    const sessionId = server.realtime.session(room.code)!.record.id;
    // The store holds this like (far ahead in the log), the live state does not know it.
    const taken = 'op-stored-elsewhere';
    const like: Command = { type: 'post.like', opId: taken, participantId: west.joined.snapshot.me.id, postId: 'pinned' };
    expect(await store.append(sessionId, { seq: 1000, key: taken, at: Date.now(), command: like })).toBe('stored');

    const answer = ok(await west.socket.emitWithAck('post:like', { opId: taken, postId: 'pinned' }));
    expect(answer.likeCount).toBe(0);
    expect((await store.readLog(sessionId)).filter((e) => e.key === taken)).toHaveLength(1);
    // The sequence did not advance for it: the next write is stored after the ones before.
    ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'next', parentId: null }));
    expect((await store.readLog(sessionId)).map((e) => e.seq)).toEqual([0, 1, 1000]);
  });

  it('[REL4] after a restart the next seq is the stored maximum + 1, not the length of the log', async () => {
    const file = dbFile();
    const first = await serve(await createPrismaStore(file));
    const room = await createClassroom(first);
    const west = await joinAs(first, room.code, 'Wendy');
    ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'one', parentId: null }));
    const sessionId = first.realtime.session(room.code)!.record.id;
    await stop(first);
    // A gap: seq 2 is missing, so the log's length (3) is a seq already taken.
    const db = new Database(file);
    const like = JSON.stringify({ type: 'post.like', opId: 'op-after-gap', participantId: west.joined.snapshot.me.id, postId: 'pinned' });
    db.prepare('INSERT INTO LogEntry (sessionId, seq, key, at, command) VALUES (?, 3, ?, ?, ?)').run(sessionId, 'op-after-gap', Date.now(), like);
    db.close();

    const store = await createPrismaStore(file);
    const second = await serve(store);
    const back = await client(second);
    ok(await back.emitWithAck('session:join', { code: room.code, token: west.joined.token }));
    ok(await back.emitWithAck('post:create', { opId: opId(), text: 'after the gap', parentId: null }));
    expect((await store.readLog(sessionId)).map((e) => e.seq)).toEqual([0, 1, 3, 4]);
  });

  it('[REL4] a session whose log cannot be replayed is reported with its code, and every other session is served', async () => {
    const file = dbFile();
    const first = await serve(await createPrismaStore(file));
    const broken = await createClassroom(first);
    const healthy = await createClassroom(first);
    const west = await joinAs(first, healthy.code, 'Wendy');
    ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'still here', parentId: null }));
    const brokenId = first.realtime.session(broken.code)!.record.id;
    await stop(first);
    const db = new Database(file);
    db.prepare("INSERT INTO LogEntry (sessionId, seq, key, at, command) VALUES (?, 0, 'corrupt', 0, 'null')").run(brokenId);
    db.close();

    const lines: string[] = [];
    const second = await serve(await createPrismaStore(file), { log: (line) => lines.push(line) });
    const reports = lines.filter((line) => line.includes(broken.code));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(new RegExp(`^session ${broken.code} is not served: .*$`));
    const admin = await client(second);
    const view = ok(await admin.emitWithAck('admin:watch', { code: healthy.code, secret: healthy.secret }));
    expect(postTexts(view.posts.west)).toContain('still here');
    const again = await client(second);
    ok(await again.emitWithAck('session:join', { code: healthy.code, token: west.joined.token }));
    ok(await again.emitWithAck('post:create', { opId: opId(), text: 'served', parentId: null }));
    expect(await admin.emitWithAck('board:watch', { code: broken.code })).toMatchObject({ ok: false, error: { code: 'unknown_session' } });
  });
});
