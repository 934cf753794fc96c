/**
 * `npm run bench:core` at a tiny size: the script's functions work and its figures are sane (the
 * replicas converge, the replay from SQLite equals the live state). No timing is asserted.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as sim from '../../server/sim/index.ts';
import type { SimState } from '../../server/sim/index.ts';
import { longLog, msPerOp, replayFromSqlite } from '../bench/core.ts';
import { plainPosts } from '../support/sim.ts';

describe('[PERF1] bench:core at a tiny size', () => {
  it('[PERF1] times ops in a session of 1,000 posts, and both datacenters end equal', () => {
    const result = msPerOp(sim, 1000, 200);
    for (const figure of [result.median, result.p95, result.mean, result.buildMs]) expect(Number.isFinite(figure)).toBe(true);
    result.workload.flush();
    const state = result.workload.state as SimState;
    expect(state.replicas.west.posts.size).toBeGreaterThan(1000);
    expect(plainPosts(state, 'east')).toEqual(plainPosts(state, 'west'));
    expect(sim.divergence(state)).toEqual({ onlyWest: 0, onlyEast: 0, changedOnBoth: 0, likesDiffer: 0 });
  });

  it('[PERF1] a log with a split and a heal, written to SQLite and read back through the Prisma store, replays to the live state', async () => {
    const workload = longLog(2_000);
    const { ops, replayMs, state } = await replayFromSqlite(workload, path.resolve('tests/.tmp'));
    expect(ops).toBe(workload.log.length);
    expect(workload.log.some((e) => e.command.type === 'link.mode')).toBe(true);
    expect(Number.isFinite(replayMs)).toBe(true);
    expect(JSON.stringify(sim.snapshotOf(state))).toBe(JSON.stringify(sim.snapshotOf(workload.state as SimState)));
  });
});
