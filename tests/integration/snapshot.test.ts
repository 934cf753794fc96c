/**
 * [REL1] Restart from a snapshot plus the log's tail, on real SQLite: the state it gives is the
 * state a full replay gives, and while a session is still loading it answers `loading`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrismaStore } from '../../server/persistence/prisma-store.ts';
import type { Store } from '../../server/persistence/store.ts';
import { SessionRuntime, type RuntimeHooks } from '../../server/realtime/session-runtime.ts';
import { snapshotOf, type Command } from '../../server/sim/index.ts';
import { client, createClassroom, joinAs, ok, opId, startTestServer } from '../support/server.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'sbl-snapshot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What the runtimes reported: a snapshot that failed to store would show here. */
const errors: unknown[] = [];

const hooks = (snapshotEvery?: { ops: number; ms: number }): RuntimeHooks => ({
  onCommitted: () => {},
  onError: (error) => {
    errors.push(error);
  },
  ...(snapshotEvery ? { snapshotEvery } : {}),
});

describe('[REL1] restart from a snapshot and the tail of the log', () => {
  it('[REL1] a snapshot plus the tail gives the same state and timeline as replaying the whole log', async () => {
    const file = path.join(dir, 'same.db');
    const store = await createPrismaStore(file);
    let now = 1_800_000_000_000;
    const clock = () => (now += 7);
    const record = { id: 'session-1', code: 'SNAPAB', secretHash: 'x', seed: 99, createdAt: now };
    await store.createSession(record);
    const live = SessionRuntime.fromLog(record, [], store, clock, hooks({ ops: 9, ms: 0 }));
    const commands: Command[] = [
      { type: 'participant.join', participantId: 'w', name: 'Wendy' },
      { type: 'participant.join', participantId: 'e', name: 'Ed' },
      { type: 'link.configure', latencyMs: 40, jitterMs: 30 },
    ];
    for (let i = 0; i < 12; i += 1) {
      commands.push({ type: 'post.create', opId: `w-${i}`, participantId: 'w', parentId: null, text: `west ${i}` });
      commands.push({ type: 'post.create', opId: `e-${i}`, participantId: 'e', parentId: i > 0 ? `e-${i - 1}` : null, text: `east ${i}` });
      if (i === 5) commands.push({ type: 'link.mode', mode: 'cut' });
      if (i === 7) commands.push({ type: 'post.edit', opId: 'edit-1', participantId: 'e', postId: 'pinned', text: 'East notes' });
      if (i === 8) commands.push({ type: 'post.like', opId: 'like-1', participantId: 'w', postId: 'w-2' });
      if (i === 9) commands.push({ type: 'link.mode', mode: 'up' });
    }
    for (const [i, command] of commands.entries()) {
      const outcome = await live.execute(command, `key-${i}`);
      expect(outcome.ok).toBe(true);
      // Commands come from sockets, one event-loop turn apart: periodic snapshots run between them.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await live.settle();
    live.close();
    expect(errors).toEqual([]);
    const snapshot = await store.loadSnapshot(record.id);
    const log = await store.readLog(record.id);
    // There is a snapshot, and a tail after it: both paths are exercised.
    expect(snapshot?.seq).toBeGreaterThan(0);
    expect(snapshot?.seq).toBeLessThan(log.length - 1);

    now += 60_000; // everything on the link is due for both
    const restored = await SessionRuntime.load(record, store, () => now, hooks());
    const replayed = SessionRuntime.fromLog(record, log, store, () => now, hooks());
    await Promise.all([restored.settle(), replayed.settle()]);
    expect(snapshotOf(restored.state)).toEqual(snapshotOf(replayed.state));
    expect(restored.timeline).toEqual(replayed.timeline);
    expect(restored.state.replicas.east.posts.get('w-11')?.created).toBe(true);
    restored.close();
    replayed.close();
    await store.close();
  });

  it('[REL1] the port opens before sessions are loaded, and a session still loading answers `loading`', async () => {
    const file = path.join(dir, 'loading.db');
    const first = await startTestServer(await createPrismaStore(file));
    const room = await createClassroom(first);
    const west = await joinAs(first, room.code, 'Wendy');
    ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'stored before the restart', parentId: null }));
    for (const s of [west.socket, room.admin]) s.disconnect();
    await first.close();

    // The real store, with the snapshot read held until the test lets it go.
    const real = await createPrismaStore(file);
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held: Store = { ...real, loadSnapshot: async (id) => (await gate, real.loadSnapshot(id)) };
    const second = await startTestServer(held, { awaitRestore: false });
    try {
      const student = await client(second);
      const early = await student.emitWithAck('session:join', { code: room.code, token: west.joined.token });
      expect(early).toEqual({ ok: false, error: { code: 'loading', message: 'This session is still loading; try again in a moment.' } });
      const board = await client(second);
      const watch = await board.emitWithAck('board:watch', { code: room.code });
      expect(watch.ok ? 'ok' : watch.error.code).toBe('loading');
      // Another session is not held up: a new one can be made meanwhile.
      ok(await board.emitWithAck('session:create', {}));
      release();
      await second.restored;
      const joined = ok(await student.emitWithAck('session:join', { code: room.code, token: west.joined.token }));
      expect(joined.snapshot.posts.map((p) => p.text)).toContain('stored before the restart');
    } finally {
      release();
      await second.close();
    }
  });
});
