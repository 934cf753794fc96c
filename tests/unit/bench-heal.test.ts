/** `npm run bench:heal` at a tiny size: its functions work and its figures are sane; no timings are asserted. */
import { describe, expect, it } from 'vitest';
import { buildIncident, historyOf, ourContent, timeHeals } from '../bench/heal.ts';
import { mergeWithYjs, whatEachKeeps } from '../bench/heal-libs.ts';
import { STRATEGIES } from '../../server/sim/index.ts';

describe('[INC1] bench:heal at a tiny size', () => {
  it('[INC1] builds the incident with its command, heals the same state under each strategy, and compares like with like', () => {
    const built = buildIncident(1, 200);
    const history = historyOf(built);
    const writes = (dc: 'west' | 'east') => Object.values(built.summary.perSide[dc]).reduce((a, b) => a + b, 0);
    expect(history.west).toHaveLength(writes('west'));
    expect(history.east).toHaveLength(writes('east'));
    expect(history.base).toHaveLength(built.summary.shared);
    const yjs = mergeWithYjs(history, 1);
    expect(yjs.converged).toBe(true);
    const ours = Object.fromEntries(
      STRATEGIES.map((s) => {
        const { ms, healed } = timeHeals(built.state, s, 2);
        expect(ms).toHaveLength(2);
        expect(healed.inFlight.west.messages.size + healed.inFlight.east.messages.size).toBe(0);
        return [s, ourContent(healed)];
      }),
    );
    const keeps = whatEachKeeps(history, yjs.merged, null, ours);
    const created = keeps[0];
    expect(created?.count).toBe(400);
    for (const s of STRATEGIES) expect(created?.figures[s]).toEqual({ kept: 400, missing: 0 });
  });
});
