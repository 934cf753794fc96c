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
    const likeCrossed = nextEvent(west.socket, 'post:changed', (c) => c.post.id === delivered.id && c.post.likeCount === 1 && !c.post.pending);
    ok(await east.socket.emitWithAck('post:like', { opId: opId(), postId: delivered.id }));
    await likeCrossed;
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
      expect(after.settings).toEqual(before.settings);
      expect(after.settings.link.latencyMs).toBe(1500);
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

  it('[REL1] a restart mid-partition keeps the split and its held messages; heal then delivers them', async () => {
    const file = path.join(dir, 'partition.db');
    const first = await startTestServer(await createPrismaStore(file));
    const room = await createClassroom(first);
    const west = await joinAs(first, room.code, 'Wendy');
    const east = await joinAs(first, room.code, 'Ed');
    ok(await room.admin.emitWithAck('admin:link', { latencyMs: 20, jitterMs: 0 }));
    ok(await room.admin.emitWithAck('admin:partition', { mode: 'cut' }));
    ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'held in West', parentId: null }));
    ok(await east.socket.emitWithAck('post:create', { opId: opId(), text: 'held in East', parentId: null }));
    await new Promise((resolve) => setTimeout(resolve, 60)); // past the latency: only the cut holds them now
    const before = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
    expect(before.inFlight).toEqual({ west: 1, east: 1 });
    for (const s of [west.socket, east.socket, room.admin]) s.disconnect();
    await first.close();

    const second = await startTestServer(await createPrismaStore(file));
    try {
      const admin = await client(second);
      const after = ok(await admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
      expect(after.settings.link.mode).toBe('cut');
      expect(after.inFlight).toEqual({ west: 1, east: 1 });
      expect(after.posts).toEqual(before.posts);
      expect(after.divergence).toMatchObject({ onlyWest: 1, onlyEast: 1 });
      const healed = nextEvent(admin, 'class:healed');
      ok(await admin.emitWithAck('admin:partition', { mode: 'up' }));
      const [converged] = await healed;
      expect(converged.divergence).toMatchObject({ onlyWest: 0, onlyEast: 0 });
      const final = ok(await admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
      expect(final.posts.west.map((p) => p.text).sort()).toEqual(final.posts.east.map((p) => p.text).sort());
      expect(final.posts.east.map((p) => p.text)).toContain('held in West');
      admin.disconnect();
    } finally {
      await second.close();
    }
  });
});
