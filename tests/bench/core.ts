/**
 * The pure core's cost per op against the size of the session, and the replay of a long log read
 * back from a real SQLite file through the Prisma store (issue 9: "a core whose cost per op is flat").
 *
 * Usage: node --import tsx tests/bench/core.ts [--sizes 1000,10000,100000] [--replay 200000] [--old REF]
 *   --old REF  also times the ms/op part on the core as it was at git REF (sizes <= 1,000 only:
 *              the old core copies the session on every op).
 * Prints a table, then one JSON object with every figure as the last line.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { createPrismaStore } from '../../server/persistence/prisma-store.ts';
import * as sim from '../../server/sim/index.ts';
import type { Command, SimState } from '../../server/sim/index.ts';
import { median, percentile } from './stats.ts';

/** The slice of the core's API the bench drives, so an older core can be timed the same way. */
export interface CoreApi {
  createInitialState(seed: number): unknown;
  step(state: never, command: Command, ctx: { now: number }): { ok: true; state: unknown } | { ok: false };
}

const PEOPLE = Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, '0')}`);

/** A tiny seeded PRNG for the workload (the core draws its own numbers from its state). */
function prng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A class writing: new posts, replies, edits, likes, unlikes and deletes on recent posts. Steps
 * the core as it goes and keeps only what it accepted, as the server logs only accepted commands.
 */
export class Workload {
  state: unknown;
  now = 1_000_000;
  readonly log: { at: number; command: Command }[] = [];
  private readonly random: () => number;
  private readonly recent: { id: string; author: string }[] = [];
  private counter = 0;
  refused = 0;

  constructor(
    private readonly core: CoreApi,
    readonly seed: number,
  ) {
    this.random = prng(seed);
    this.state = core.createInitialState(seed);
    for (const id of PEOPLE) this.apply({ type: 'participant.join', participantId: id, name: id });
    this.apply({ type: 'link.configure', latencyMs: 50, jitterMs: 20 });
  }

  /** Steps one command; true when accepted (and logged). */
  apply(command: Command): boolean {
    const result = this.core.step(this.state as never, command, { now: this.now });
    if (!result.ok) {
      this.refused += 1;
      return false;
    }
    this.state = result.state;
    if (command.type !== 'tick') this.log.push({ at: this.now, command });
    return true;
  }

  private opId(): string {
    this.counter += 1;
    return `op-${this.seed}-${String(this.counter).padStart(9, '0')}`;
  }

  private pick<T>(items: readonly T[]): T | undefined {
    return items[Math.floor(this.random() * items.length)];
  }

  /** Only new top-level posts: fills a session fast. */
  post(): void {
    this.now += 1;
    const who = this.pick(PEOPLE) ?? 'p00';
    const opId = this.opId();
    if (this.apply({ type: 'post.create', opId, participantId: who, parentId: null, text: `post ${this.counter}` })) this.remember(opId, who);
  }

  private remember(id: string, author: string): void {
    this.recent.push({ id, author });
    if (this.recent.length > 2000) this.recent.splice(0, 1000);
  }

  /** One mixed write, on a post written at least a second ago (so both sides have it, link permitting). */
  mixed(): void {
    this.now += 5;
    const who = this.pick(PEOPLE) ?? 'p00';
    const old = this.recent.slice(0, Math.max(0, this.recent.length - 50));
    const target = this.pick(old);
    const r = this.random();
    const opId = this.opId();
    if (!target || r < 0.4) {
      if (this.apply({ type: 'post.create', opId, participantId: who, parentId: null, text: `post ${this.counter}` })) this.remember(opId, who);
    } else if (r < 0.55) {
      if (this.apply({ type: 'post.create', opId, participantId: who, parentId: target.id, text: `reply ${this.counter}` })) this.remember(opId, who);
    } else if (r < 0.75) {
      this.apply({ type: 'post.like', opId, participantId: who, postId: target.id });
    } else if (r < 0.8) {
      this.apply({ type: 'post.unlike', opId, participantId: who, postId: target.id });
    } else if (r < 0.95) {
      this.apply({ type: 'post.edit', opId, participantId: target.author, postId: target.id, text: `edit ${this.counter}` });
    } else {
      this.apply({ type: 'post.delete', opId, participantId: target.author, postId: target.id });
    }
  }

  /** Lets the link deliver everything. */
  flush(): void {
    this.now += 60_000;
    this.apply({ type: 'tick' });
  }
}

/** A session holding `posts` posts on both sides, then `ops` mixed writes each timed alone. */
export function msPerOp(core: CoreApi, posts: number, ops: number): { posts: number; buildMs: number; median: number; p95: number; mean: number; workload: Workload } {
  const t0 = performance.now();
  const workload = new Workload(core, 7);
  for (let i = 0; i < posts; i += 1) workload.post();
  workload.flush();
  const buildMs = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < ops; i += 1) {
    const start = performance.now();
    workload.mixed();
    times.push(performance.now() - start);
  }
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  return { posts, buildMs, median: median(times), p95: percentile(times, 95), mean, workload };
}

/**
 * A log of `ops` accepted commands (a class writing, a split in the middle, a heal), the way the
 * server stores them: in every period of 20,000 ops (less for a short log), the link is cut for a quarter.
 */
export function longLog(ops: number, seed = 11): Workload {
  const workload = new Workload(sim, seed);
  const period = Math.min(20_000, Math.max(100, Math.floor(ops / 2)));
  while (workload.log.length < ops) {
    const phase = workload.log.length % period;
    if (phase === Math.floor(period / 2)) workload.apply({ type: 'link.mode', mode: 'cut' });
    else if (phase === Math.floor((period * 3) / 4)) workload.apply({ type: 'link.mode', mode: 'up' });
    else workload.mixed();
  }
  return workload;
}

/** Writes the log into a fresh SQLite file (one transaction), then times reading it back through the Prisma store and replaying it. */
export async function replayFromSqlite(workload: Workload, dir: string): Promise<{ ops: number; writeMs: number; readMs: number; replayMs: number; replayCpuMs: number; state: SimState }> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `core-bench-${process.pid}.db`);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  const sessionId = 'bench-session';
  try {
    let store = await createPrismaStore(file);
    await store.createSession({ id: sessionId, code: 'BENCH2', secretHash: 'x', seed: workload.seed, createdAt: 0 });
    // The first entries go through the store's own append, the rest in one transaction: a
    // per-entry fsync for 200K rows would time the disk, not the replay.
    const viaStore = Math.min(100, workload.log.length);
    const t0 = performance.now();
    for (let seq = 0; seq < viaStore; seq += 1) {
      const entry = workload.log[seq];
      if (entry) await store.append(sessionId, { seq, key: `k${seq}`, at: entry.at, command: entry.command });
    }
    await store.close();
    const db = new Database(file);
    const insert = db.prepare('INSERT INTO "LogEntry" ("sessionId", "seq", "key", "at", "command") VALUES (?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let seq = viaStore; seq < workload.log.length; seq += 1) {
        const entry = workload.log[seq];
        if (entry) insert.run(sessionId, seq, `k${seq}`, entry.at, JSON.stringify(entry.command));
      }
    })();
    db.close();
    const writeMs = performance.now() - t0;
    store = await createPrismaStore(file);
    const t1 = performance.now();
    const log = await store.readLog(sessionId);
    const readMs = performance.now() - t1;
    await store.close();
    if (log.length !== workload.log.length) throw new Error(`read back ${log.length} entries of ${workload.log.length}`);
    const t2 = performance.now();
    const cpu = process.cpuUsage();
    const state = sim.replay(workload.seed, log);
    const replayMs = performance.now() - t2;
    const used = process.cpuUsage(cpu);
    // CPU time too: on a shared machine the wall clock also counts other processes' turns.
    return { ops: log.length, writeMs, readMs, replayMs, replayCpuMs: (used.user + used.system) / 1000, state };
  } finally {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  }
}

/** The core as it was at a git ref, copied into a temp folder and imported. */
async function oldCore(ref: string, dir: string): Promise<CoreApi> {
  const target = path.join(dir, `old-core-${ref.replace(/[^A-Za-z0-9]/g, '_')}`);
  const files = execFileSync('git', ['ls-tree', '-r', '--name-only', ref, 'server/sim'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const file of files) {
    const out = path.join(target, path.relative('server/sim', file));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, execFileSync('git', ['show', `${ref}:${file}`]));
  }
  return (await import(pathToFileURL(path.join(target, 'index.ts')).href)) as CoreApi;
}

function arg(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const sizes = (arg('--sizes') ?? '1000,10000,100000').split(',').map(Number);
  const replayOps = Number(arg('--replay') ?? 200_000);
  const oldRef = arg('--old');
  const tmp = path.resolve('tests/.tmp');
  const batch = 2000;
  const rows: { core: string; posts: number; buildS: number; median: number; p95: number; mean: number }[] = [];
  const run = (label: string, core: CoreApi, posts: number) => {
    const r = msPerOp(core, posts, batch);
    rows.push({ core: label, posts, buildS: r.buildMs / 1000, median: r.median, p95: r.p95, mean: r.mean });
    console.log(`${label.padEnd(4)} ${String(posts).padStart(7)} posts | build ${(r.buildMs / 1000).toFixed(1).padStart(5)} s | ms/op median ${r.median.toFixed(4)} p95 ${r.p95.toFixed(4)} mean ${r.mean.toFixed(4)} (${batch} mixed ops)`);
  };
  console.log(`load average ${os.loadavg()[0]?.toFixed(1) ?? '?'} on ${os.cpus().length} CPUs (wall times below include other processes' turns)`);
  console.log('core posts      | build     | cost of one op in a session of that size');
  for (const posts of sizes) run('new', sim, posts);
  if (oldRef) {
    const core = await oldCore(oldRef, tmp);
    for (const posts of sizes.filter((n) => n <= 1_000)) run('old', core, posts);
  }
  const t0 = performance.now();
  const workload = longLog(replayOps);
  const generateMs = performance.now() - t0;
  const replayed = await replayFromSqlite(workload, tmp);
  const live = workload.state as SimState;
  const same = JSON.stringify(sim.snapshotOf(replayed.state)) === JSON.stringify(sim.snapshotOf(live));
  console.log(
    `replay: ${replayed.ops} ops (generated live in ${(generateMs / 1000).toFixed(1)} s) | written in ${(replayed.writeMs / 1000).toFixed(1)} s | read back in ${(replayed.readMs / 1000).toFixed(2)} s | replayed in ${(replayed.replayMs / 1000).toFixed(2)} s (CPU ${(replayed.replayCpuMs / 1000).toFixed(2)} s) | equals the live state: ${same ? 'yes' : 'NO'}`,
  );
  // What a restart from a snapshot costs instead of a replay (the runtime's snapshot plus the log's tail).
  const t3 = performance.now();
  const text = JSON.stringify(sim.snapshotOf(replayed.state));
  const t4 = performance.now();
  const restored = sim.stateFromSnapshot(JSON.parse(text) as sim.JsonValue);
  const restoreMs = performance.now() - t4;
  const snapshotMs = t4 - t3;
  const restoredSame = JSON.stringify(sim.snapshotOf(restored)) === text;
  console.log(`snapshot of that state: ${(text.length / 1e6).toFixed(1)} MB of JSON, written in ${(snapshotMs / 1000).toFixed(2)} s, restored in ${(restoreMs / 1000).toFixed(2)} s, same state: ${restoredSame ? 'yes' : 'NO'}`);
  const newRows = rows.filter((r) => r.core === 'new');
  const first = newRows[0];
  const last = newRows.at(-1);
  const ratio = first && last ? last.median / first.median : NaN;
  console.log(`ms/op at ${last?.posts ?? '?'} posts / ms/op at ${first?.posts ?? '?'} posts: ${ratio.toFixed(2)} (target <= 1.5); replay ${(replayed.replayMs / 1000).toFixed(2)} s (target <= 3 s)`);
  console.log(
    JSON.stringify({
      bench: 'core',
      batch,
      msPerOp: rows,
      ratioLargestToSmallest: ratio,
      loadAverage: os.loadavg()[0],
      snapshot: { mb: text.length / 1e6, writeS: snapshotMs / 1000, restoreS: restoreMs / 1000, same: restoredSame },
      replay: { ops: replayed.ops, readS: replayed.readMs / 1000, replayS: replayed.replayMs / 1000, replayCpuS: replayed.replayCpuMs / 1000, readPlusReplayS: (replayed.readMs + replayed.replayMs) / 1000, equalsLive: same },
    }),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
