import { io as connect } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../server/protocol/index.ts';
import { createClassroom, nextEvent, ok, opId, serverPerTest, type Classroom, type Client } from '../support/server.ts';

const live = serverPerTest();
const tabs: Client[] = [];

afterEach(() => {
  for (const tab of tabs.splice(0)) tab.disconnect();
});

/** A browser tab: reconnects by itself, as the page's socket does, so connection-state recovery can restore it. */
async function tab(): Promise<Client> {
  const socket: Client = connect(live.current.url, { auth: { protocol: PROTOCOL_VERSION }, transports: ['websocket'], forceNew: true, reconnectionDelay: 20, reconnectionDelayMax: 50 });
  tabs.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Drops the tab's transport (Wi-Fi blip); resolves once it is connected again, with whether it was recovered. */
async function blip(socket: Client): Promise<boolean> {
  const back = new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.io.engine.close();
  await back;
  return socket.recovered;
}

async function onlineOf(room: Classroom, id: string): Promise<boolean | undefined> {
  const view = ok(await room.admin.emitWithAck('admin:watch', { code: room.code, secret: room.secret }));
  return view.participants.find((p) => p.id === id)?.online;
}

/** A student's tab that has received a broadcast (recovery resumes from the last one it got). */
async function joinedTab(room: Classroom, join: { name: string } | { token: string }): Promise<{ socket: Client; id: string; token: string }> {
  const socket = await tab();
  const joined = ok(await socket.emitWithAck('session:join', { code: room.code, ...join }));
  const seen = nextEvent(socket, 'post:changed');
  ok(await socket.emitWithAck('post:create', { opId: opId(), text: `hello from ${joined.snapshot.me.name}`, parentId: null }));
  await seen;
  return { socket, id: joined.snapshot.me.id, token: joined.token };
}

describe('[PRES1] presence', () => {
  it('[PRES1] a student whose socket is restored by connection-state recovery is online again', async () => {
    const room = await createClassroom(live.current);
    const student = await joinedTab(room, { name: 'Rita' });
    expect(await onlineOf(room, student.id)).toBe(true);
    expect(await blip(student.socket)).toBe(true);
    expect(await onlineOf(room, student.id)).toBe(true);
    // And the restored socket still gets its datacenter's posts.
    const seen = nextEvent(student.socket, 'post:changed', (c) => c.post.text === 'after the blip');
    ok(await student.socket.emitWithAck('post:create', { opId: opId(), text: 'after the blip', parentId: null }));
    await seen;
  });

  it('[PRES1] a student with two tabs is online until both close, a recovered tab included', async () => {
    const room = await createClassroom(live.current);
    const first = await joinedTab(room, { name: 'Tom' });
    const second = await joinedTab(room, { token: first.token });
    expect(second.id).toBe(first.id);
    expect(await blip(first.socket)).toBe(true);
    const wentOffline: boolean[] = [];
    room.admin.on('participant:presence', (change) => {
      if (change.id === first.id && !change.online) wentOffline.push(true);
    });
    const runtime = live.current.realtime.session(room.code);
    const before = runtime?.presence.get(first.id) ?? 0;
    second.socket.disconnect();
    // Once the server has handled that close, the count has gone down by one.
    while ((runtime?.presence.get(first.id) ?? 0) === before) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await onlineOf(room, first.id)).toBe(true);
    expect(wentOffline).toEqual([]);
    const offline = nextEvent(room.admin, 'participant:presence', (change) => change.id === first.id && !change.online);
    first.socket.disconnect();
    await offline;
    expect(await onlineOf(room, first.id)).toBe(false);
  });
});
