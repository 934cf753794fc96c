import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrismaStore } from '../../server/persistence/prisma-store.ts';
import { client, createClassroom, joinAs, nextEvent, ok, opId, startTestServer } from '../support/server.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'sbl-restart-'));
const dbFile = path.join(dir, 'restart.db');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('[REL1] restart recovery from SQLite', () => {
  it('[REL1] a new server on the same file shows the same state, and delivers what was still in flight', async () => {
    const first = await startTestServer(await createPrismaStore(dbFile));
    const room = await createClassroom(first);
    const west = await joinAs(first, room.code, 'Wendy');
    const east = await joinAs(first, room.code, 'Ed');
    ok(await room.admin.emitWithAck('admin:link', { latencyMs: 50, jitterMs: 0 }));
    const arrived = nextEvent(east.socket, 'post:changed', (c) => c.post.text === 'before the crash');
    const delivered = ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'before the crash', parentId: null }));
    await arrived;
    ok(await east.socket.emitWithAck('post:like', { opId: opId(), postId: delivered.id }));
    // A slow link: this one is acknowledged (stored) but still on the link when the server stops.
    ok(await room.admin.emitWithAck('admin:link', { latencyMs: 1500, jitterMs: 0 }));
    ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'in flight', parentId: null }));
    const before = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
    for (const s of [west.socket, east.socket, room.admin]) s.disconnect();
    await first.close();

    const second = await startTestServer(await createPrismaStore(dbFile));
    try {
      const admin = await client(second);
      const after = ok(await admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
      expect(after.posts).toEqual(before.posts);
      expect(after.link).toEqual({ latencyMs: 1500, jitterMs: 0 });
      expect(after.participants.map((p) => [p.name, p.home])).toEqual([
        ['Wendy', 'west'],
        ['Ed', 'east'],
      ]);

      // Ed comes back with his token: same identity, same datacenter; the in-flight post arrives.
      const ed = await client(second);
      const landed = nextEvent(ed, 'post:changed', (c) => c.post.text === 'in flight', 10_000);
      const resumed = ok(await ed.emitWithAck('session:join', { code: room.code, token: east.joined.token }));
      expect(resumed.snapshot.me.id).toBe(east.joined.snapshot.me.id);
      expect(resumed.snapshot.dc).toBe('east');
      expect(resumed.snapshot.posts.find((p) => p.text === 'before the crash')?.likeCount).toBe(1);
      const alreadyThere = resumed.snapshot.posts.some((p) => p.text === 'in flight');
      if (!alreadyThere) await landed;
      ed.disconnect();
      admin.disconnect();
    } finally {
      await second.close();
    }
  });
});
