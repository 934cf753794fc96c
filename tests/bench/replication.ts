/**
 * West -> East delivery time over the real stack (Socket.IO, core, SQLite store): a West student
 * posts, and we time until the East student's screen would get the post. Prints medians.
 * Usage: npm run bench [-- posts latencyMs]   (defaults: 100 posts, link latency 0 and 400 ms)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPrismaStore } from '../../server/persistence/prisma-store.ts';
import { createClassroom, joinAs, nextEvent, ok, opId, startTestServer } from '../support/server.ts';
import { percentile } from './stats.ts';

const posts = Number(process.argv[2] ?? 100);
const latencies = process.argv[3] ? [Number(process.argv[3])] : [0, 400];

const dir = mkdtempSync(path.join(tmpdir(), 'sbl-bench-'));
try {
  const server = await startTestServer(await createPrismaStore(path.join(dir, 'bench.db')), { rateLimit: null });
  const room = await createClassroom(server);
  const west = await joinAs(server, room.code, 'West bench');
  const east = await joinAs(server, room.code, 'East bench');
  for (const latencyMs of latencies) {
    ok(await room.admin.emitWithAck('admin:link', { latencyMs, jitterMs: 0 }));
    const ackTimes: number[] = [];
    const deliveryTimes: number[] = [];
    for (let i = 0; i < posts; i += 1) {
      const text = `bench ${latencyMs} ${i}`;
      const arrived = nextEvent(east.socket, 'post:changed', (c) => c.post.text === text, 30_000);
      const t0 = performance.now();
      ok(await west.socket.emitWithAck('post:create', { opId: opId(), text, parentId: null }));
      ackTimes.push(performance.now() - t0);
      await arrived;
      deliveryTimes.push(performance.now() - t0);
    }
    for (const [label, times] of [
      ['ack (stored in SQLite)', ackTimes],
      ['West post -> East screen', deliveryTimes],
    ] as const) {
      const sorted = [...times].sort((a, b) => a - b);
      console.log(
        `latency ${String(latencyMs).padStart(4)} ms | ${label.padEnd(26)} | n=${posts} median ${percentile(sorted, 50).toFixed(1)} ms  p95 ${percentile(sorted, 95).toFixed(1)} ms  max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms`,
      );
    }
  }
  west.socket.disconnect();
  east.socket.disconnect();
  room.admin.disconnect();
  await server.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
