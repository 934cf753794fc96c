/**
 * [REL10] kill -9 at random points: a child server on a temp SQLite file, students writing during
 * a split with the page's retries, the server killed and started again on the same file and port,
 * the students re-joining with their tokens. After a final full heal the checker must find every
 * acknowledged write, none twice, and West and East equal.
 *
 * `npm test` kills twice; `npm run fuzz` kills FUZZ_KILLS (20) times, two per run, one seed each.
 * A failing run prints its seed: `FUZZ_SEED=1234 npx vitest run tests/integration/crash.test.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describe as describeFindings } from '../support/checker.ts';
import { Instructor, PATIENT, Record, Rng, joinStudents, sleep, summary } from '../support/chaos.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const KILLS_PER_RUN = 2;
const kills = Number(process.env.FUZZ_KILLS ?? KILLS_PER_RUN);
const replay = process.env.FUZZ_SEED === undefined ? null : Number(process.env.FUZZ_SEED);
const seeds = replay === null ? Array.from({ length: Math.ceil(kills / KILLS_PER_RUN) }, (_, i) => 101 + i) : [replay];

const dir = mkdtempSync(path.join(tmpdir(), 'sbl-crash-'));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Child {
  process: ChildProcess;
  port: number;
  /** Everything it wrote to stderr: restore errors and failed writes show up here. */
  stderr: string[];
}

/** Starts tests/support/child-server.ts on `dbFile`; resolves once it accepts sockets. */
function startChild(dbFile: string, port: number, stderr: string[]): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests/support/child-server.ts')], {
    cwd: ROOT,
    env: { ...process.env, CHILD_DB: dbFile, CHILD_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+)/.exec(out);
      if (match) resolve({ process: child, port: Number(match[1]), stderr });
    });
    child.once('exit', (code, signal) => reject(new Error(`child server exited (${code ?? signal}) before listening:\n${stderr.join('')}`)));
  });
}

/** kill -9: no shutdown hook runs, whatever was not yet durable is gone. */
function killHard(child: Child): Promise<void> {
  return new Promise((resolve) => {
    child.process.once('exit', () => resolve());
    child.process.kill('SIGKILL');
  });
}

const totals = { runs: 0, kills: 0, acked: 0, missing: 0, duplicates: 0, divergent: 0 };
afterAll(() => {
  console.log(`[REL10] crash: ${totals.runs} runs, ${totals.kills} kills survived, ${totals.acked} ops acknowledged, ${totals.missing} unexplained losses, ${totals.duplicates} duplicates, ${totals.divergent} divergent posts`);
});

describe('[REL10] kill -9 during a split, restart on the same SQLite file', () => {
  it.each(seeds)(
    '[REL10] seed %i: every acknowledged write survives the kills, once, and the sides converge after the heal',
    async (seed) => {
      const rng = new Rng(seed);
      const stderr: string[] = [];
      const dbFile = path.join(dir, `crash-${seed}.db`);
      let child = await startChild(dbFile, 0, stderr);
      const url = `http://127.0.0.1:${child.port}`;
      const record = new Record();
      const instructor = await Instructor.create(url, record);
      const students = await joinStudents(url, instructor.code, 8, rng, record, PATIENT);
      const log: string[] = [];
      try {
        const strategy = rng.pick(['lww', 'merge', 'human'] as const);
        log.push(`strategy ${strategy}`);
        await instructor.command('admin:link', (s) => s.emitWithAck('admin:link', { latencyMs: rng.int(0, 20), jitterMs: rng.int(0, 20) }));
        await instructor.command('admin:strategy', (s) => s.emitWithAck('admin:strategy', { strategy }));
        await instructor.partition('cut');

        let writing = true;
        const writers = students.map(async (student) => {
          const own = rng.fork();
          // Capped so the timeline (500 ops) holds the whole history for the checker.
          for (let n = 0; writing && n < 40; n += 1) {
            await sleep(own.int(10, 60));
            await student.act();
          }
        });
        for (let k = 0; k < KILLS_PER_RUN; k += 1) {
          const after = rng.int(50, 900);
          await sleep(after);
          log.push(`kill -9 after ${after} ms`);
          await killHard(child);
          totals.kills += 1;
          child = await startChild(dbFile, child.port, stderr);
          // The next kill counts from when the class is back: every student re-joined with its token.
          while (!students.every((s) => s.joined)) await sleep(20);
        }
        await sleep(rng.int(300, 800));
        writing = false;
        await Promise.all(writers);
        const final = await instructor.healAll();
        const result = record.check(final);
        totals.runs += 1;
        totals.acked += record.acked.length;
        totals.missing += result.missing.length;
        totals.duplicates += result.duplicates.length;
        totals.divergent += result.divergent.length;

        const context = `seed ${seed} (${summary(record)}; ${log.join(', ')})\nreplay: FUZZ_SEED=${seed} npx vitest run tests/integration/crash.test.ts\nserver log:\n${stderr.join('').slice(-4000)}`;
        expect(describeFindings(result), context).toBe('');
        expect(record.acked.length, context).toBeGreaterThan(30);
        expect(record.errors.get('internal') ?? 0, context).toBe(0);
        expect(final.timeline.ops.length, 'the timeline window holds the whole history').toBeLessThan(500);
        expect(final.inFlight).toEqual({ west: 0, east: 0 });
      } finally {
        for (const student of students) student.close();
        instructor.close();
        await killHard(child);
      }
    },
    120_000,
  );
});
