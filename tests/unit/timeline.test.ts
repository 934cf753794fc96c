import { describe, expect, it } from 'vitest';
import { EMPTY_TIMELINE, TIMELINE_LIMIT, recordTimeline, step, type Command, type Timeline } from '../../server/sim/index.ts';
import { SimDriver } from '../support/sim.ts';

/** Runs commands through the core and folds their events into a timeline, as the server does. */
function record(sim: SimDriver, timeline: Timeline, command: Command): Timeline {
  const result = step(sim.state, command, { now: sim.now });
  if (!result.ok) throw new Error(result.error.message);
  sim.state = result.state;
  return recordTimeline(timeline, result.events, sim.state).timeline;
}

describe('event timeline (space-time diagram)', () => {
  it('draws each op on its origin lane, its delivery on the other, and the split as a band', () => {
    const sim = new SimDriver(3);
    let tl = EMPTY_TIMELINE;
    tl = record(sim, tl, { type: 'participant.join', participantId: 'w', name: 'W' });
    tl = record(sim, tl, { type: 'participant.join', participantId: 'e', name: 'E' });
    tl = record(sim, tl, { type: 'link.configure', latencyMs: 100, jitterMs: 0 });
    const splitAt = sim.now;
    tl = record(sim, tl, { type: 'link.mode', mode: 'cut' });
    tl = record(sim, tl, { type: 'post.create', opId: 'op-aaaaaaaa', participantId: 'w', parentId: null, text: 'x' });
    sim.now += 5000;
    tl = record(sim, tl, { type: 'tick' });
    expect(tl.ops).toHaveLength(1);
    expect(tl.ops[0]).toMatchObject({ origin: 'west', at: splitAt, lamport: 1, vv: { west: 1, east: 0 }, deliveredAt: null });
    const healAt = sim.now;
    tl = record(sim, tl, { type: 'link.mode', mode: 'up' });
    expect(tl.ops[0]?.deliveredAt).toBe(healAt);
    expect(tl.bands).toEqual([
      { mode: 'cut', from: splitAt, to: healAt },
      { mode: 'up', from: healAt, to: null },
    ]);
  });

  it(`keeps the newest ${TIMELINE_LIMIT} ops only`, () => {
    const sim = new SimDriver(3);
    let tl = record(sim, EMPTY_TIMELINE, { type: 'participant.join', participantId: 'w', name: 'W' });
    for (let i = 0; i < TIMELINE_LIMIT + 20; i += 1) {
      tl = record(sim, tl, { type: 'post.like', opId: `op-${String(i).padStart(8, '0')}`, participantId: 'w', postId: 'pinned' });
    }
    expect(tl.ops).toHaveLength(TIMELINE_LIMIT);
    expect(tl.ops[0]?.opId).toBe('op-00000020');
  });
});
