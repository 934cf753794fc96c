import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrismaStore } from '../../server/persistence/prisma-store.ts';
import type { IncidentProgressView } from '../../server/protocol/index.ts';
import { client, createClassroom, joinAs, nextEvent, ok, startTestServer } from '../support/server.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'sbl-incident-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The whole state but the clock: a restarted server ticks at its own start time. */

describe('the incident through the server', () => {
  it('[INC2] the instructor replays it with progress for everyone; the log stores one command, and a restart regenerates the same state', async () => {
    const dbFile = path.join(dir, 'incident.db');
    const store = await createPrismaStore(dbFile);
    const first = await startTestServer(store);
    const room = await createClassroom(first);
    const { socket: student } = await joinAs(first, room.code, 'Ada');
    const board = await client(first);
    ok(await board.emitWithAck('board:watch', { code: room.code }));
    const seen: IncidentProgressView[] = [];
    student.on('incident:progress', (p) => seen.push(p));
    const counted = nextEvent(board, 'counts:changed', (c) => c.incident !== null);
    const replayed = nextEvent(student, 'incident:replayed');

    expect(await student.emitWithAck('admin:incident', { size: 1000 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await room.admin.emitWithAck('admin:incident', { size: 1234 as 1000 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const counts = ok(await room.admin.emitWithAck('admin:incident', { size: 1000 }));
    expect(counts.posts.west).toBeGreaterThan(1000);
    expect(counts.posts.east).toBeGreaterThan(1000);
    expect(counts.incident?.perSide.west.post).toBeGreaterThan(0);
    expect((await counted)[0]).toEqual(counts);
    expect((await replayed)[0]).toEqual(counts.incident);
    expect(seen.map((p) => p.phase)).toEqual(expect.arrayContaining(['generating', 'storing']));
    expect(seen.at(-1)).toEqual({ phase: 'storing', done: 1, total: 1 });
    // While the link is cut, another replay is refused with the reason.
    const again = await room.admin.emitWithAck('admin:incident', { size: 1000 });
    expect(again.ok ? 'accepted' : again.error.message).toMatch(/Heal the link first/);

    const runtime = first.realtime.session(room.code);
    if (!runtime) throw new Error('no session');
    const log = await store.readLog(runtime.record.id);
    expect(log.filter((e) => e.command.type === 'incident.replay')).toHaveLength(1);
    expect(log.length).toBeLessThan(10);
    // The state is persistent: keeping it is keeping this moment.
    const before = runtime.state;
    for (const s of [student, board, room.admin]) s.disconnect();
    await first.close();

    const second = await startTestServer(await createPrismaStore(dbFile));
    try {
      const restored = second.realtime.session(room.code);
      if (!restored) throw new Error('not restored');
      // Equal as values: the same posts, ops and people (a map's iteration order is not part of its value).
      expect({ ...restored.state, now: 0 }).toEqual({ ...before, now: 0 });
      const admin = await client(second);
      ok(await admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
      expect(ok(await admin.emitWithAck('class:counts', {})).posts).toEqual(counts.posts);
    } finally {
      await second.close();
    }
  }, 60_000);
});
