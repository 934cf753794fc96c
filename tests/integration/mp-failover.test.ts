/**
 * [MP2] Owner failover across real processes: three `server/index.ts` children in cluster mode on one
 * throwaway PostgreSQL, behind the cluster's proxy (scripts/cluster-proxy.ts). Students write during a
 * split with the page's retries; the process that owns the session is killed with SIGKILL mid-writes;
 * its students reconnect through the proxy to the survivor and re-join with their tokens; the first
 * command after the lease expires makes the survivor take the session over (snapshot + log tail) and
 * serve. Then the new owner is killed in turn, and the third member takes over. After a final heal the
 * checker must find every acknowledged write, none applied twice (REL2, REL3 across processes), and
 * West and East equal. It prints the failover time: from the kill to the first write acknowledged
 * once a survivor holds the lease.
 */
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startProxy, type RunningProxy } from '../../scripts/cluster-proxy.ts';
import { describe as describeFindings } from '../support/checker.ts';
import { Instructor, PATIENT, Record, Rng, joinStudents, keepWriting, sleep, summary } from '../support/chaos.ts';
import { killHard, spawnMember, type ChildMember } from '../support/cluster.ts';
import { skipUnlessPostgres, startPostgres, type TempPostgres } from '../support/postgres.ts';

const skip = skipUnlessPostgres('the owner failover suite ([MP2])');
const KILLS = 2;
const seed = process.env.FUZZ_SEED === undefined ? 301 : Number(process.env.FUZZ_SEED);

let postgres: TempPostgres | undefined;
let proxy: RunningProxy | undefined;
const members: ChildMember[] = [];
afterAll(async () => {
  await Promise.all(members.map((m) => killHard(m.process)));
  await proxy?.close();
  await postgres?.stop();
});

/** The member process holding the session's lease (its owner id carries its pid). */
async function ownerOf(url: string, sessionCode: string): Promise<ChildMember> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    for (;;) {
      const { rows } = await db.query<{ owner: string }>(
        `SELECT l."owner" FROM "SessionLease" l JOIN "Session" s ON s."id" = l."sessionId" WHERE s."code" = $1 AND l."expiresAt" > (now() AT TIME ZONE 'UTC')`,
        [sessionCode],
      );
      const owner = rows[0]?.owner;
      const member = owner ? members.find((m) => m.process.exitCode === null && owner.includes(`-${m.process.pid}-`)) : undefined;
      if (member) return member;
      await sleep(50);
    }
  } finally {
    await db.end();
  }
}

describe.skipIf(skip)('[MP2] the owner process killed mid-writes: a survivor takes over', () => {
  it(`[MP2] seed ${seed}: nothing acknowledged is lost, nothing applied twice, and the sides converge`, async () => {
    const rng = new Rng(seed);
    postgres = await startPostgres();
    const url = await postgres.createDatabase('failover');
    proxy = await startProxy(0, '127.0.0.1');
    const allowed = { ALLOWED_ORIGINS: `http://127.0.0.1:${proxy.port},http://localhost:${proxy.port}`, TRUST_PROXY: '1' };
    // Three members: after two kills one is left, and no kill waits for a restart.
    members.push(...(await Promise.all([spawnMember(url, 0, allowed), spawnMember(url, 0, allowed), spawnMember(url, 0, allowed)])));
    proxy.targets.push(...members.map((m) => m.url));
    const front = `http://127.0.0.1:${proxy.port}`;

    const record = new Record();
    const instructor = await Instructor.create(front, record);
    const students = await joinStudents(front, instructor.code, 8, rng, record, PATIENT);
    const log: string[] = [];
    const failovers: number[] = [];
    try {
      await instructor.command('admin:link', (s) => s.emitWithAck('admin:link', { latencyMs: rng.int(0, 20), jitterMs: rng.int(0, 20) }));
      await instructor.partition('cut');
      // Paced to span both failovers.
      const writers = keepWriting(students, rng, [150, 350], 50);
      for (let k = 0; k < KILLS; k += 1) {
        await sleep(rng.int(1000, 2000));
        const owner = await ownerOf(url, instructor.code);
        const killedAt = performance.now();
        await killHard(owner.process);
        // An answer the dead owner sent just before it died can still arrive: count from the takeover on.
        const successor = await ownerOf(url, instructor.code);
        const ackedBefore = record.acked.length;
        while (record.acked.length === ackedBefore) await sleep(5);
        failovers.push(performance.now() - killedAt);
        log.push(`killed the owner on port ${owner.port}; ${successor.port} took over, first ack after ${Math.round(failovers.at(-1)!)} ms`);
        while (!students.every((s) => s.joined)) await sleep(20);
      }
      await sleep(rng.int(2000, 3000));
      await writers.stop();
      const final = await instructor.healAll();
      const result = record.check(final);
      const context = `seed ${seed} (${summary(record)}; ${log.join(', ')})\nmember logs:\n${members.map((m) => m.output.join('').slice(-2000)).join('\n---\n')}`;
      console.log(`[MP2] failover, kill -9 of the owner to the first write acknowledged after the takeover: ${failovers.map((ms) => `${Math.round(ms)} ms`).join(', ')} (lease 3000 ms); ${summary(record)}`);
      expect(describeFindings(result), context).toBe('');
      expect(record.acked.length, context).toBeGreaterThan(30);
      expect(record.errors.get('internal') ?? 0, context).toBe(0);
      expect(final.inFlight).toEqual({ west: 0, east: 0 });
    } finally {
      for (const student of students) student.close();
      instructor.close();
    }
  }, 90_000);
});
