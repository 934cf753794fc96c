import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrismaStore } from '../../server/persistence/prisma-store.ts';
import type { RunningServer } from '../../server/app.ts';
import { client, createClassroom, joinAs, nextEvent, ok, opId, startTestServer, type Client } from '../support/server.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'sbl-readable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A student's view from a fresh socket with their token: what a reload shows. */
async function reload(server: RunningServer, code: string, token: string) {
  const socket = await client(server);
  const joined = ok(await socket.emitWithAck('session:join', { code, token }));
  socket.disconnect();
  return joined.snapshot;
}

describe('[CAP4] the server enforces R', () => {
  it('[CAP4] under W=1, R=5 a split West gets its last readable view, marked, in re-joins, acks and pushes; a restart keeps it; reads return on heal', async () => {
    const file = path.join(dir, 'cap4.db');
    const first = await startTestServer(await createPrismaStore(file));
    const room = await createClassroom(first);
    const writer = await joinAs(first, room.code, 'Wendy'); // West
    await joinAs(first, room.code, 'Ed'); // East
    const reader = await joinAs(first, room.code, 'Walt'); // West
    expect([writer.joined.snapshot.dc, reader.joined.snapshot.dc]).toEqual(['west', 'west']);
    ok(await room.admin.emitWithAck('admin:link', { latencyMs: 10, jitterMs: 0 }));
    ok(await room.admin.emitWithAck('admin:consistency', { w: 1, r: 5 }));
    const seenOld = nextEvent(reader.socket, 'post:changed', (c) => c.post.text === 'before the split');
    const old = ok(await writer.socket.emitWithAck('post:create', { opId: opId(), text: 'before the split', parentId: null }));
    await seenOld;

    const cut = ok(await room.admin.emitWithAck('admin:partition', { mode: 'cut' }));
    expect(cut.quorum.west).toMatchObject({ canWrite: true, canRead: false });
    const pushed: string[] = [];
    reader.socket.on('post:changed', (c) => pushed.push(c.post.text));
    // W=1: West still accepts writes, but no West student can read them back.
    const fresh = ok(await writer.socket.emitWithAck('post:create', { opId: opId(), text: 'written in the split', parentId: null }));
    ok(await writer.socket.emitWithAck('post:like', { opId: opId(), postId: old.id }));
    // A broadcast to everyone after those: once the reader has it, it has had every push before it.
    const after = nextEvent(reader.socket, 'settings:changed');
    ok(await room.admin.emitWithAck('admin:skew', { dc: 'east', skewMs: 1000 }));
    await after;
    expect(pushed).toEqual([]);

    const stale = await reload(first, room.code, reader.joined.token);
    expect(stale.posts.map((p) => p.text)).not.toContain('written in the split');
    expect(stale.posts.find((p) => p.id === old.id)?.likeCount).toBe(0);
    expect(stale.readableAsOf).toEqual(expect.any(Number));
    // The reader's own write is accepted; its ack shows the post as last readable, not the writer's like.
    const liked = ok(await reader.socket.emitWithAck('post:like', { opId: opId(), postId: old.id }));
    expect(liked.likedBy).not.toContain(writer.joined.snapshot.me.id);
    // A post written after reads stopped cannot be reached by guessing its id.
    const blind = await reader.socket.emitWithAck('post:like', { opId: opId(), postId: fresh.id });
    expect(blind.ok ? 'ok' : blind.error.code).toBe('unknown_post');
    // The board (both sides) still sees everything.
    const board = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
    expect(board.posts.west.map((p) => p.text)).toContain('written in the split');

    // A restart replays the log: the same last readable view, as of the same moment.
    for (const s of [writer.socket, reader.socket, room.admin] as Client[]) s.disconnect();
    await first.close();
    const second = await startTestServer(await createPrismaStore(file));
    try {
      const restarted = await reload(second, room.code, reader.joined.token);
      expect(restarted.readableAsOf).toBe(stale.readableAsOf);
      expect(restarted.posts).toEqual(stale.posts);
      expect((await reload(second, room.code, writer.joined.token)).posts.map((p) => p.text)).not.toContain('written in the split');

      const admin = await client(second);
      ok(await admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
      ok(await admin.emitWithAck('admin:partition', { mode: 'up' }));
      const healed = await reload(second, room.code, reader.joined.token);
      expect(healed.readableAsOf).toBeNull();
      expect(healed.posts.map((p) => p.text)).toContain('written in the split');
    } finally {
      await second.close();
    }
  });

  it('[CAP4] a side that can read is never marked stale (W=3, R=3: the majority East reads during the split)', async () => {
    const server = await startTestServer(await createPrismaStore(path.join(dir, 'cap4-east.db')));
    try {
      const room = await createClassroom(server);
      await joinAs(server, room.code, 'Wendy');
      const east = await joinAs(server, room.code, 'Ed');
      ok(await room.admin.emitWithAck('admin:consistency', { w: 3, r: 3 }));
      ok(await room.admin.emitWithAck('admin:partition', { mode: 'cut' }));
      const pushed = nextEvent(east.socket, 'post:changed', (c) => c.post.text === 'east reads');
      ok(await east.socket.emitWithAck('post:create', { opId: opId(), text: 'east reads', parentId: null }));
      await pushed;
      const view = await reload(server, room.code, east.joined.token);
      expect(view.readableAsOf).toBeNull();
      expect(view.posts.map((p) => p.text)).toContain('east reads');
    } finally {
      await server.close();
    }
  });
});
