/** Sessions end (SEC6): by the instructor or when idle; an ended session is read-only, for good. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app.ts';
import { createPrismaStore } from '../../server/persistence/prisma-store.ts';
import type { Store } from '../../server/persistence/store.ts';
import { client, createClassroom, joinAs, nextEvent, ok, opId, startTestServer } from '../support/server.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'sbl-end-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const running: RunningServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
});
async function serve(store?: Store, options: Parameters<typeof startTestServer>[1] = {}): Promise<RunningServer> {
  const server = await startTestServer(store, options);
  running.push(server);
  return server;
}

const ENDED = { ok: false, error: { code: 'ended' } };

describe('[SEC6] sessions end', () => {
  it('[SEC6] only the instructor can end a session', async () => {
    const server = await serve();
    const room = await createClassroom(server);
    const west = await joinAs(server, room.code, 'Wendy');
    const board = await client(server);
    ok(await board.emitWithAck('board:watch', { code: room.code }));
    for (const socket of [west.socket, board]) expect(await socket.emitWithAck('admin:end', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'still open', parentId: null }));
  });

  it('[SEC6] an ended session is read-only: writes, new joins and admin changes get "ended"; boards and re-joins still see it', async () => {
    const server = await serve();
    const room = await createClassroom(server);
    const west = await joinAs(server, room.code, 'Wendy');
    const post = ok(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'before the end', parentId: null }));
    const board = await client(server);
    ok(await board.emitWithAck('board:watch', { code: room.code }));

    const studentTold = nextEvent(west.socket, 'session:ended');
    const boardTold = nextEvent(board, 'session:ended');
    const end = ok(await room.admin.emitWithAck('admin:end', {}));
    expect(end.reason).toBe('instructor');
    expect((await studentTold)[0]).toEqual(end);
    expect((await boardTold)[0]).toEqual(end);

    expect(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'after the end', parentId: null })).toMatchObject(ENDED);
    expect(await west.socket.emitWithAck('post:like', { opId: opId(), postId: post.id })).toMatchObject(ENDED);
    expect(await west.socket.emitWithAck('me:switch', {})).toMatchObject(ENDED);
    expect(await room.admin.emitWithAck('admin:partition', { mode: 'cut' })).toMatchObject(ENDED);
    expect(await room.admin.emitWithAck('admin:reset', {})).toMatchObject(ENDED);
    const newcomer = await client(server);
    expect(await newcomer.emitWithAck('session:join', { code: room.code, name: 'Late' })).toMatchObject(ENDED);
    // Ending again changes nothing.
    expect(ok(await room.admin.emitWithAck('admin:end', {}))).toEqual(end);

    const watcher = await client(server);
    const view = ok(await watcher.emitWithAck('board:watch', { code: room.code }));
    expect(view.ended).toEqual(end);
    expect(view.posts.west.map((p) => p.text)).toContain('before the end');
    expect(view.posts.west.map((p) => p.text)).not.toContain('after the end');
    const back = await client(server);
    const rejoined = ok(await back.emitWithAck('session:join', { code: room.code, token: west.joined.token }));
    expect(rejoined.snapshot.ended).toEqual(end);
    expect(rejoined.snapshot.me.id).toBe(west.joined.snapshot.me.id);
  });

  it('[SEC6] an ended session stays ended after a restart', async () => {
    const file = path.join(dir, 'ended.db');
    const first = await startTestServer(await createPrismaStore(file));
    const room = await createClassroom(first);
    const west = await joinAs(first, room.code, 'Wendy');
    const end = ok(await room.admin.emitWithAck('admin:end', {}));
    await first.close();

    const second = await serve(await createPrismaStore(file));
    const admin = await client(second);
    expect(ok(await admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret })).ended).toEqual(end);
    const back = await client(second);
    ok(await back.emitWithAck('session:join', { code: room.code, token: west.joined.token }));
    expect(await back.emitWithAck('post:create', { opId: opId(), text: 'after the restart', parentId: null })).toMatchObject(ENDED);
  });

  it('[SEC6] a session with no write for the idle time ends by itself, and says so', async () => {
    const server = await serve(undefined, { idleMs: 300 });
    const room = await createClassroom(server);
    const west = await joinAs(server, room.code, 'Wendy');
    const [end] = await nextEvent(room.admin, 'session:ended');
    expect(end.reason).toBe('idle');
    expect(await west.socket.emitWithAck('post:create', { opId: opId(), text: 'too late', parentId: null })).toMatchObject(ENDED);
  });

  it('[SEC6] a session found idle too long at start-up is ended before anyone can write', async () => {
    const file = path.join(dir, 'idle.db');
    const first = await startTestServer(await createPrismaStore(file));
    const room = await createClassroom(first);
    const west = await joinAs(first, room.code, 'Wendy');
    await first.close();

    const hour = 60 * 60 * 1000;
    const second = await serve(await createPrismaStore(file), { idleMs: hour, clock: () => Date.now() + 2 * hour });
    const back = await client(second);
    const rejoined = ok(await back.emitWithAck('session:join', { code: room.code, token: west.joined.token }));
    expect(rejoined.snapshot.ended?.reason).toBe('idle');
    expect(await back.emitWithAck('post:create', { opId: opId(), text: 'too late', parentId: null })).toMatchObject(ENDED);
  });
});
