/**
 * [REL9] Seeded chaos against the real server (Socket.IO, memory store, no pages): 20 students on
 * both sides write with the page's retries while a fifth of them drop and reconnect, and the
 * instructor splits, cuts one way, heals, and changes strategy, skew, link and quorum at random.
 * After a final full heal the checker must find no unexplained loss, no double apply and no
 * divergence.
 *
 * `npm test` runs the pinned seeds and 10 more; `npm run fuzz` runs FUZZ_RUNS (200) seeds.
 * A failing seed prints itself: `FUZZ_SEED=1234 npx vitest run tests/integration/chaos.test.ts`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app.ts';
import type { HealReportView } from '../../server/protocol/index.ts';
import { check, describe as describeFindings, isClean, type ClientOp } from '../support/checker.ts';
import { runChaos, summary } from '../support/chaos.ts';
import { client, joinAs, ok, startTestServer } from '../support/server.ts';

/**
 * Seeds that once found something; kept so the bug stays fixed. Seeds 9 and 17 (20 students, 8
 * writes each) lost an edit across a one-way cut; the chaos is timed by real sockets, so the
 * deterministic case below pins that bug, and these seeds only make it likely.
 */
const PINNED: readonly number[] = [9, 17];

const replay = process.env.FUZZ_SEED === undefined ? null : Number(process.env.FUZZ_SEED);
const runs = Number(process.env.FUZZ_RUNS ?? 10);
const base = Number(process.env.FUZZ_BASE ?? 1);
const seeds = replay === null ? [...new Set([...PINNED, ...Array.from({ length: runs }, (_, i) => base + i)])] : [replay];

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer(undefined, { rateLimit: null });
});
afterAll(async () => {
  await server.close();
});

const totals = { seeds: 0, acked: 0, missing: 0, duplicates: 0, divergent: 0 };
afterAll(() => {
  console.log(`[REL9] chaos: ${totals.seeds} seeds, ${totals.acked} ops acknowledged, ${totals.missing} unexplained losses, ${totals.duplicates} duplicates, ${totals.divergent} divergent posts`);
});

describe('[REL9] seeded chaos against the real server', () => {
  it.each(seeds)('[REL9] seed %i: nothing acknowledged is lost or applied twice, and West and East converge', async (seed) => {
    const outcome = await runChaos(server.url, { seed, students: 20, writesEach: 8, dropShare: 0.2 });
    const { result, record, final } = outcome;
    totals.seeds += 1;
    totals.acked += record.acked.length;
    totals.missing += result.missing.length;
    totals.duplicates += result.duplicates.length;
    totals.divergent += result.divergent.length;
    const replayLine = `FUZZ_SEED=${seed} npx vitest run tests/integration/chaos.test.ts`;
    const context = `seed ${seed} (${summary(record)})\nreplay: ${replayLine}\ninstructor: ${outcome.actions.join(', ')}`;
    if (!isClean(result)) console.error(`[REL9] chaos found something:\n${context}\n${describeFindings(result)}`);
    expect(describeFindings(result), context).toBe('');
    // The run did what it claims: writes landed, some students dropped, the link is healed and empty.
    expect(record.acked.length, context).toBeGreaterThan(40);
    expect(record.drops, context).toBeGreaterThan(0);
    expect(record.errors.get('internal') ?? 0, context).toBe(0);
    expect(record.errors.get('bad_request') ?? 0, context).toBe(0);
    expect(final.inFlight, context).toEqual({ west: 0, east: 0 });
    expect(final.link.mode).toBe('up');
  }, 60_000);
});

describe('[REL9] regressions the chaos found', () => {
  it('[REL9] an edit that crossed a one-way cut is settled by the heal, and reported if it loses', async () => {
    // Found by seeds 9 and 17: during a one-way cut (East -> West blocked) Ed edits the pinned post
    // in East three times; Wendy then edits it in West, later on every clock. Her edit crosses to
    // East at once and loses there to Ed's by Lamport time; at the heal only East's ops are held,
    // so the strategy (LWW) never sees the post: her later edit is gone and no report says so.
    const admin = await client(server);
    const { code, secret } = ok(await admin.emitWithAck('session:create', {}));
    ok(await admin.emitWithAck('admin:watch', { code, secret }));
    const reports: HealReportView[] = [];
    admin.on('class:healed', (snapshot) => {
      if (snapshot.lastHeal) reports.push(snapshot.lastHeal);
    });
    const wendy = await joinAs(server, code, 'Wendy');
    const ed = await joinAs(server, code, 'Ed');
    ok(await admin.emitWithAck('admin:link', { latencyMs: 0, jitterMs: 0 }));
    ok(await admin.emitWithAck('admin:partition', { mode: 'cut-east-to-west' }));
    const acked: ClientOp[] = [];
    const edit = async (who: typeof wendy, dc: 'west' | 'east', text: string) => {
      const opId = `regress-${dc}-${acked.length}-${Date.now()}`;
      ok(await who.socket.emitWithAck('post:edit', { opId, postId: 'pinned', text }));
      acked.push({ opId, kind: 'edit', postId: 'pinned', author: who.joined.snapshot.me.id, dc, text });
    };
    for (const n of [1, 2, 3]) await edit(ed, 'east', `East's edit ${n}`);
    await new Promise((resolve) => setTimeout(resolve, 20)); // Wendy's edit is later on every clock
    await edit(wendy, 'west', "West's edit, the last one written");
    ok(await admin.emitWithAck('admin:partition', { mode: 'up' }));
    const final = ok(await admin.emitWithAck('admin:watch', { code, secret }));
    for (const s of [admin, wendy.socket, ed.socket]) s.disconnect();
    const result = check({ acked, final, reports: final.lastHeal ? [final.lastHeal, ...reports] : reports });
    expect(describeFindings(result)).toBe('');
  });
});
