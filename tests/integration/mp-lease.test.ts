/**
 * [MP2] One owner per session among processes sharing a PostgreSQL database: the lease row, its
 * expiry on the database's clock, and the fence that keeps an owner that lost its lease from
 * writing behind its successor.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeaseLostError, createPgStore, type ClusterStore } from '../../server/persistence/pg-store.ts';
import type { LogEntry } from '../../server/persistence/store.ts';
import { skipUnlessPostgres, startPostgres, type TempPostgres } from '../support/postgres.ts';

const skip = skipUnlessPostgres('the lease suite ([MP2])');
const LONG = 60_000;

describe.skipIf(skip)('[MP2] session leases on PostgreSQL', () => {
  let postgres: TempPostgres;
  let a: ClusterStore;
  let b: ClusterStore;
  let sessions = 0;
  const newSession = async () => {
    const id = `sess-${++sessions}`;
    await a.createSession({ id, code: `CODE${String(sessions).padStart(2, '0')}`, secretHash: 'h', seed: 1, createdAt: 1_767_225_600_000 });
    return id;
  };
  const entry = (seq: number, key: string): LogEntry => ({ seq, key, at: 1_767_225_600_000 + seq, command: { type: 'participant.join', participantId: key, name: key } });

  beforeAll(async () => {
    postgres = await startPostgres();
    const url = await postgres.createDatabase('leases');
    // Two processes' stores on one database: cluster mode takes no one-process lock.
    a = await createPgStore(url, { owner: 'process-a' });
    b = await createPgStore(url, { owner: 'process-b' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await postgres?.stop();
  });

  it('[MP2] the first claim owns the session; a claim by another process is answered with the owner', async () => {
    const s = await newSession();
    expect(await a.leases.ownerOf(s)).toBeNull();
    expect(await a.leases.claim(s, LONG)).toBe('process-a');
    expect(await b.leases.claim(s, LONG)).toBe('process-a');
    expect(await b.leases.ownerOf(s)).toBe('process-a');
    expect(await a.leases.claim(s, LONG)).toBe('process-a');
  });

  it('[MP2] claims racing for a free session leave exactly one owner', async () => {
    const s = await newSession();
    const answers = await Promise.all([a, b, a, b].map((store) => store.leases.claim(s, LONG)));
    expect(new Set(answers).size).toBe(1);
    expect(await a.leases.ownerOf(s)).toBe(answers[0]);
  });

  it('[MP2] an expired lease is taken over; the old owner can no longer renew it nor write to the session', async () => {
    const s = await newSession();
    expect(await a.leases.claim(s, LONG)).toBe('process-a');
    expect(await a.append(s, entry(0, 'by-a'))).toBe('stored');
    // Claiming again sets the expiry anew: 1 ms from now, as if the owner had stopped renewing.
    expect(await a.leases.claim(s, 1)).toBe('process-a');
    await sleep(20);
    expect(await a.leases.ownerOf(s)).toBeNull();
    expect(await b.leases.claim(s, LONG)).toBe('process-b');
    expect(await a.leases.renew(LONG)).not.toContain(s);
    await expect(a.append(s, entry(1, 'late-a'))).rejects.toBeInstanceOf(LeaseLostError);
    await expect(a.appendMany(s, [{ entry: entry(1, 'late-a2') }])).rejects.toBeInstanceOf(LeaseLostError);
    expect(await b.append(s, entry(1, 'by-b'))).toBe('stored');
    expect((await b.readLog(s)).map((e) => e.key)).toEqual(['by-a', 'by-b']);
  });

  it('[MP2] renewing keeps a lease past its first expiry; releasing frees it at once', async () => {
    const s = await newSession();
    expect(await a.leases.claim(s, 1000)).toBe('process-a');
    for (let i = 0; i < 3; i += 1) {
      await sleep(400);
      expect(await a.leases.renew(1000)).toContain(s);
    }
    expect(await b.leases.claim(s, LONG)).toBe('process-a');
    await a.leases.releaseAll();
    expect(await a.leases.ownerOf(s)).toBeNull();
    expect(await b.leases.claim(s, LONG)).toBe('process-b');
  });
});
