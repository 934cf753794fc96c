/**
 * From the instructor's split to every connected screen knowing about it: 30 students (socket.io
 * clients) and a board on the real server with a SQLite store; the admin cuts and heals the link
 * 20 times, and we time until the last screen has received the new link mode. Prints medians.
 * Usage: node --import tsx tests/bench/split-banner.ts [students=30] [rounds=20]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPrismaStore } from '../../server/persistence/prisma-store.ts';
import { client, createClassroom, joinAs, nextEvent, ok, startTestServer, type Client } from '../support/server.ts';
import { percentile } from './stats.ts';

const students = Number(process.argv[2] ?? 30);
const rounds = Number(process.argv[3] ?? 20);

const dir = mkdtempSync(path.join(tmpdir(), 'sbl-bench-'));
try {
  const server = await startTestServer(await createPrismaStore(path.join(dir, 'bench.db')), { rateLimit: null });
  const room = await createClassroom(server);
  const screens: Client[] = [];
  for (let i = 0; i < students; i += 1) screens.push((await joinAs(server, room.code, `Student ${i}`)).socket);
  const board = await client(server);
  ok(await board.emitWithAck('board:watch', { code: room.code }));
  screens.push(board);

  const last: number[] = [];
  const ackTimes: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const mode = round % 2 === 0 ? 'cut' : 'up';
    const arrivals = screens.map((s) => nextEvent(s, 'settings:changed', (settings) => settings.link.mode === mode, 10_000).then(() => performance.now()));
    const t0 = performance.now();
    ok(await room.admin.emitWithAck('admin:partition', { mode }));
    ackTimes.push(performance.now() - t0);
    const times = await Promise.all(arrivals);
    last.push(Math.max(...times) - t0);
  }
  for (const [label, values] of [
    ['admin ack (stored)', ackTimes],
    [`all ${screens.length} screens told`, last],
  ] as const) {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(`${label.padEnd(24)} n=${rounds}  median ${percentile(sorted, 50).toFixed(1)} ms  p95 ${percentile(sorted, 95).toFixed(1)} ms`);
  }
  for (const s of [...screens, room.admin]) s.disconnect();
  await server.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
