/**
 * The server side of `npm run bench:live`, run as a child process so its CPU and memory are its
 * own: either the app's real server (Socket.IO + core + Prisma on a temp SQLite file, production
 * mode, no pages: page serving is not what the load is about) or a bare Socket.IO 4.8 server that
 * only rebroadcasts, the baseline. It talks to the bench over IPC: `ready` once listening, and
 * `stats` (RSS, heap after a GC, CPU time) whenever asked.
 *
 * Env: LIVE_MODE=app|raw, LIVE_DB (app: the SQLite file, or a PostgreSQL URL), LIVE_SEED_POSTS (app
 * on SQLite: posts stored in one session's log before the server starts, so it starts as a session
 * that has lived), LIVE_CLUSTER=1 (app on PostgreSQL: a cluster member, answering to LIVE_ALLOWED, the proxy).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { startServer } from '../../server/app.ts';
import { createPgStore } from '../../server/persistence/pg-store.ts';
import { createPrismaStore } from '../../server/persistence/prisma-store.ts';
import type { Command } from '../../server/sim/index.ts';
import { hashSecret, newJoinCode, newSecret } from '../../server/realtime/secrets.ts';
import { startMember } from '../support/cluster.ts';

export type ToBench =
  | { type: 'ready'; url: string; session?: { code: string; secret: string } }
  | { type: 'stats'; rss: number; heapUsed: number; cpuMs: number };
export type FromBench = { type: 'stats' };

function send(message: ToBench): void {
  process.send?.(message);
}

const gc = (globalThis as { gc?: () => void }).gc;

process.on('message', (message: FromBench) => {
  if (message.type !== 'stats') return;
  gc?.();
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  send({ type: 'stats', rss: memory.rss, heapUsed: memory.heapUsed, cpuMs: (cpu.user + cpu.system) / 1000 });
});
process.on('disconnect', () => process.exit(0));

/** The baseline: one room, every post acknowledged and rebroadcast to the room as it is. */
async function startRaw(): Promise<string> {
  const http = createServer();
  const io = new Server(http, { maxHttpBufferSize: 64 * 1024 });
  io.on('connection', (socket) => {
    socket.on('join', (room: string, ack: () => void) => {
      void socket.join(room);
      ack();
    });
    socket.on('post', (post: { room: string; id: string; text: string }, ack: (r: { ok: true }) => void) => {
      ack({ ok: true });
      io.to(post.room).emit('posted', post);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** A session whose log already holds `posts` posts by two people, one per datacenter. */
async function seedSession(dbFile: string, posts: number): Promise<{ code: string; secret: string }> {
  const store = await createPrismaStore(dbFile);
  const secret = newSecret();
  const code = newJoinCode();
  const id = randomUUID();
  const t0 = Date.now() - posts - 10_000;
  await store.createSession({ id, code, secretHash: hashSecret(secret), seed: 1, createdAt: t0 });
  const people = ['seed-west', 'seed-east'];
  const entries: { key: string; command: Command }[] = people.map((p) => ({ key: `join-${p}`, command: { type: 'participant.join', participantId: p, name: p } }));
  for (let i = 0; i < posts; i += 1) {
    const opId = `seed-${i}`;
    entries.push({ key: opId, command: { type: 'post.create', opId, participantId: people[i % 2] ?? 'seed-west', parentId: null, text: `Post ${i} of a class that has lived` } });
  }
  await store.appendMany(id, entries.map((e, seq) => ({ entry: { seq, key: e.key, at: t0 + seq, command: e.command } })));
  await store.close();
  return { code, secret };
}

async function startApp(dbFile: string, seedPosts: number): Promise<{ url: string; session?: { code: string; secret: string } }> {
  if (/^postgres(ql)?:/.test(dbFile)) {
    if (process.env.LIVE_CLUSTER === '1') return { url: (await startMember(dbFile, { allowedOrigins: [process.env.LIVE_ALLOWED ?? ''] })).url };
    return { url: (await startServer({ port: 0, host: '127.0.0.1', store: await createPgStore(dbFile), rateLimit: null, log: () => {} })).url };
  }
  const session = seedPosts > 0 ? await seedSession(dbFile, seedPosts) : undefined;
  const server = await startServer({ port: 0, host: '127.0.0.1', store: await createPrismaStore(dbFile), rateLimit: null, log: () => {} });
  return { url: server.url, ...(session ? { session } : {}) };
}

const mode = process.env.LIVE_MODE;
if (mode === 'raw') send({ type: 'ready', url: await startRaw() });
else if (mode === 'app') send({ type: 'ready', ...(await startApp(process.env.LIVE_DB ?? '', Number(process.env.LIVE_SEED_POSTS ?? 0))) });
else throw new Error(`LIVE_MODE must be app or raw, not ${String(mode)}`);
