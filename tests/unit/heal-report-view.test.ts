import { describe, expect, it } from 'vitest';
import { REPORT_SAMPLE, reportFor, reportSample } from '../../server/realtime/report.ts';
import { SimDriver } from '../support/sim.ts';

/**
 * A class where LWW discards more edits than a sample holds: Wendy writes 30 posts, then during the
 * cut edits each in West, roams to East and edits each again a second later on East's clock, which
 * runs 5 s behind: each East edit loses. Ed and Eve write nothing.
 */
function manyLosses(): SimDriver {
  const sim = new SimDriver(7);
  for (const id of ['wendy', 'ed', 'walt', 'eve']) sim.join(id);
  sim.run({ type: 'link.configure', latencyMs: 100, jitterMs: 0 });
  sim.run({ type: 'strategy.set', strategy: 'lww' });
  sim.run({ type: 'clock.skew', dc: 'east', skewMs: -5000 });
  const posts = Array.from({ length: 30 }, (_, i) => sim.post('wendy', `post ${i}`));
  sim.flush();
  sim.run({ type: 'link.mode', mode: 'cut' });
  for (const id of posts) sim.edit('wendy', id, `West edit of ${id}`);
  sim.run({ type: 'participant.move', participantId: 'wendy', to: 'east' });
  sim.now += 1000;
  for (const id of posts) sim.edit('wendy', id, `East edit of ${id}`);
  sim.run({ type: 'link.mode', mode: 'up' });
  sim.flush();
  return sim;
}

describe("what each screen's heal report carries", () => {
  it('[LWW3] the board gets the counts and a sample; a student gets that sample and every item of their own beyond it', () => {
    const { state } = manyLosses();
    const board = reportSample(state);
    expect(board?.totals.lost).toBe(30);
    expect(board?.lost).toHaveLength(REPORT_SAMPLE);

    // Wendy lost all 30 East edits: the sample's 20, then her other 10, each once.
    const wendy = reportFor(state, 'wendy');
    expect(wendy?.totals).toEqual(board?.totals);
    expect(wendy?.lost.slice(0, REPORT_SAMPLE)).toEqual(board?.lost);
    expect(wendy?.lost.map((l) => l.lost.opId).sort()).toEqual(state.lastHeal?.lost.map((l) => l.lost.opId).sort());

    // Ed is in none of the items: he gets the sample, so his feed marks the same posts as the board.
    expect(reportFor(state, 'ed')?.lost).toEqual(board?.lost);
    // The facts, not sentences: East's clock 5 s behind decided each loss, written 1 s later in true time.
    expect(wendy?.lost.every((l) => l.decidedBy === 'later-timestamp' && l.skew?.behindMs === 5000 && l.skew.laterMs === 1000)).toBe(true);
  });
});
