import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app.ts';
import { createMemoryStore } from '../../server/persistence/memory-store.ts';
import type { Store } from '../../server/persistence/store.ts';
import { botsOf } from '../../server/realtime/bots.ts';
import { client, createClassroom, joinAs, nextEvent, ok, opId, startTestServer, type Classroom } from '../support/server.ts';

/** A low cap, so a test can count the writes of a few seconds. */
const CAP = 4;

let server: RunningServer;
let store: Store;
let room: Classroom;

beforeEach(async () => {
  process.env.BOT_MAX_RATE = String(CAP);
  store = createMemoryStore();
  server = await startTestServer(store);
  room = await createClassroom(server);
});

afterEach(async () => {
  delete process.env.BOT_MAX_RATE;
  await server.close();
});

const runtime = () => {
  const found = server.realtime.session(room.code);
  if (!found) throw new Error('no session');
  return found;
};
// The fleet is the server's own; the tests reach it only to watch it and to hand a bot a bad write.
const fleet = () => {
  const found = botsOf(runtime());
  if (!found) throw new Error('no bots');
  return found;
};

/** Bot writes stored in the log, by the bots' participant ids. */
async function storedBotWrites(): Promise<number> {
  const bots = runtime().bots;
  const log = await store.readLog(runtime().record.id);
  return log.filter((e) => 'participantId' in e.command && e.command.participantId !== null && bots.has(e.command.participantId) && e.command.type.startsWith('post.')).length;
}

const until = async (check: () => Promise<boolean> | boolean, ms = 8000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('bots', () => {
  it('[BOT1] only the instructor starts or stops bots', async () => {
    const { socket: student } = await joinAs(server, room.code, 'Ada');
    const board = await client(server);
    ok(await board.emitWithAck('board:watch', { code: room.code }));
    for (const socket of [student, board]) {
      expect(await socket.emitWithAck('admin:bots', { action: 'start', perDc: 1, ratePerSec: 1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await socket.emitWithAck('admin:bots', { action: 'stop' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await room.admin.emitWithAck('admin:bots', { action: 'start', perDc: 101, ratePerSec: 1 })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(runtime().bots.size).toBe(0);
  });

  it('[BOT1] N bots per datacenter join like people, show as bots in the roster, write through the log, and stop with one call', async () => {
    const shown = new Map<string, boolean | undefined>();
    room.admin.on('participant:joined', (p) => shown.set(p.name, p.bot));
    room.admin.on('participant:moved', (p) => shown.set(p.name, p.bot));
    const view = ok(await room.admin.emitWithAck('admin:bots', { action: 'start', perDc: 2, ratePerSec: 50 }));
    expect(view).toMatchObject({ running: true, perDc: 2, bots: 4, capPerSec: CAP });
    const roster = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret })).participants;
    expect(roster.filter((p) => p.bot === true).map((p) => [p.name, p.home, p.online])).toEqual([
      ['Bot 1 (West)', 'west', true],
      ['Bot 2 (West)', 'west', true],
      ['Bot 3 (East)', 'east', true],
      ['Bot 4 (East)', 'east', true],
    ]);
    // The admin's live roster ends with each of them marked a bot too.
    expect([...shown]).toEqual(expect.arrayContaining(['Bot 1 (West)', 'Bot 2 (West)', 'Bot 3 (East)', 'Bot 4 (East)'].map((name) => [name, true])));
    // Their writes are ordinary stored writes, broadcast like anyone's.
    await nextEvent(room.admin, 'class:changed', (change) => change.posts.west.length + change.posts.east.length > 0);
    await until(async () => (await storedBotWrites()) >= 3);

    const stopped = ok(await room.admin.emitWithAck('admin:bots', { action: 'stop' }));
    expect(stopped).toMatchObject({ running: false, bots: 0 });
    await runtime().settle();
    await until(() => [...runtime().bots].every((id) => !runtime().isOnline(id)));
    const after = await storedBotWrites();
    await new Promise((r) => setTimeout(r, 400));
    await runtime().settle();
    expect(await storedBotWrites()).toBe(after);
  });

  it('[BOT1] a bot write with a bad payload is refused by validation like a person\'s, and nothing is stored', async () => {
    ok(await room.admin.emitWithAck('admin:bots', { action: 'start', perDc: 1, ratePerSec: 50 }));
    const bots = fleet();
    bots.compose = () => ({ event: 'post:create', payload: { opId: opId(), parentId: null, text: 'x'.repeat(501) } });
    const before = await storedBotWrites();
    await until(() => (bots.errors.get('bad_request') ?? 0) >= 3);
    ok(await room.admin.emitWithAck('admin:bots', { action: 'stop' }));
    expect([...bots.errors.keys()]).toEqual(['bad_request']);
    await runtime().settle();
    expect(await storedBotWrites()).toBe(before);
    // The same payload from a person gets the same answer.
    const { socket: person } = await joinAs(server, room.code, 'Ada');
    const answer = await person.emitWithAck('post:create', { opId: opId(), parentId: null, text: 'x'.repeat(501) });
    expect(answer).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('[BOT1] the server caps the bots\' total rate, whatever the instructor asks', async () => {
    const started = performance.now();
    const view = ok(await room.admin.emitWithAck('admin:bots', { action: 'start', perDc: 3, ratePerSec: 50 }));
    expect(view.ratePerSec).toBe(50);
    expect(view.capPerSec).toBe(CAP);
    await until(() => fleet().view().writes >= 6);
    ok(await room.admin.emitWithAck('admin:bots', { action: 'stop' }));
    const seconds = (performance.now() - started) / 1000;
    const sent = fleet().view().writes;
    // At most the cap per second over the whole run, plus the one write a bucket may save up.
    expect(sent).toBeLessThanOrEqual(Math.ceil(CAP * seconds) + 1);
    await runtime().settle();
    expect(await storedBotWrites()).toBeLessThanOrEqual(sent);
  });
});
