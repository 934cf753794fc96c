import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PINNED_POST_ID, divergence, inFlightMessages, quorumStatus, step } from '../../server/sim/index.ts';
import { actionLists, randomAction, SimDriver, type Action } from '../support/sim.ts';
import { fuzz, fuzzRuns, fuzzTimeout } from '../support/fuzz.ts';

const RUNS = fuzzRuns(60);

/** Pinned: writes held by a one-way cut, the cut made full, then slow, then healed: each crosses once. */
const NET2_ONE_WAY_THEN_CUT = {
  seed: 11,
  actions: [
    { kind: 'mode', mode: 'cut-west-to-east' },
    { kind: 'post', who: 'wendy', reply: false, target: 0 },
    { kind: 'edit', who: 'ed', target: 'pinned' },
    { kind: 'wait', ms: 600, tick: true },
    { kind: 'mode', mode: 'cut' },
    { kind: 'edit', who: 'wendy', target: 'pinned' },
    { kind: 'mode', mode: 'slow' },
    { kind: 'post', who: 'ed', reply: true, target: 0 },
  ] satisfies Action[],
};

function classroom(seed = 1): SimDriver {
  const sim = new SimDriver(seed);
  sim.join('wendy'); // West
  sim.join('ed'); // East
  sim.run({ type: 'link.configure', latencyMs: 100, jitterMs: 0 });
  return sim;
}

function texts(sim: SimDriver, dc: 'west' | 'east'): string[] {
  return [...sim.state.replicas[dc].posts.values()]
    .filter((p) => p.created)
    .map((p) => p.text)
    .sort();
}

describe('[NET2] a split holds every message; heal delivers them all', () => {
  it('[NET2] during a cut nothing crosses; heal delivers every held message once', () => {
    const sim = classroom();
    sim.run({ type: 'link.mode', mode: 'cut' });
    const w = sim.post('wendy', 'west during split');
    const e = sim.post('ed', 'east during split');
    sim.advance(10_000);
    expect(sim.post_('east', w)).toBeUndefined();
    expect(sim.post_('west', e)).toBeUndefined();
    expect(inFlightMessages(sim.state)).toHaveLength(2);
    expect(divergence(sim.state)).toMatchObject({ onlyWest: 1, onlyEast: 1 });
    const events = sim.run({ type: 'link.mode', mode: 'up' });
    const deliveries = events.filter((ev) => ev.type === 'op.applied' && !ev.local);
    expect(deliveries).toHaveLength(2);
    expect(deliveries.every((ev) => ev.type === 'op.applied' && ev.at === sim.now)).toBe(true);
    expect(inFlightMessages(sim.state)).toHaveLength(0);
    expect(texts(sim, 'west')).toEqual(texts(sim, 'east'));
    expect(divergence(sim.state)).toEqual({ onlyWest: 0, onlyEast: 0, changedOnBoth: 0, likesDiffer: 0 });
  });

  it('[NET2] fuzz: random writes, cuts and heals: none lost, none twice, replicas equal after the last heal', () => {
    const actions = randomAction({ people: ['wendy', 'ed'], weights: { post: 1, edit: 1, mode: 1, wait: 1 }, waits: fc.integer({ min: 0, max: 5000 }) });
    fuzz(
      fc.record({ seed: fc.integer({ min: 1, max: 2 ** 30 }), actions: actionLists(actions, { maxLength: 50 }) }),
      ({ seed, actions }) => {
        const sim = classroom(seed);
        sim.run({ type: 'link.configure', latencyMs: 100, jitterMs: 400 });
        sim.actAll(actions);
        const accepted = sim.log.filter((e) => 'opId' in e.command).length;
        sim.expectConverged();
        for (const dc of ['west', 'east'] as const) expect(sim.state.replicas[dc].applied.size).toBe(accepted);
      },
      { runs: RUNS, examples: [NET2_ONE_WAY_THEN_CUT] },
    );
  }, fuzzTimeout(RUNS));
});

describe('[NET3] one-way cuts and slow links are not a full cut', () => {
  it('[NET3] a West-to-East cut holds West\'s messages and lets East\'s through', () => {
    const sim = classroom();
    sim.run({ type: 'link.mode', mode: 'cut-west-to-east' });
    const w = sim.post('wendy', 'stuck in West');
    const e = sim.post('ed', 'East gets through');
    sim.advance(1000);
    expect(sim.post_('east', w)).toBeUndefined();
    expect(sim.post_('west', e)?.text).toBe('East gets through');
    sim.run({ type: 'link.mode', mode: 'up' });
    expect(sim.post_('east', w)?.text).toBe('stuck in West');
  });

  it('[NET3] an East-to-West cut is the mirror image', () => {
    const sim = classroom();
    sim.run({ type: 'link.mode', mode: 'cut-east-to-west' });
    const w = sim.post('wendy', 'West gets through');
    const e = sim.post('ed', 'stuck in East');
    sim.advance(1000);
    expect(sim.post_('east', w)?.text).toBe('West gets through');
    expect(sim.post_('west', e)).toBeUndefined();
  });

  it('[NET3] a slow link delivers everything, seconds late, and keeps every quorum reachable', () => {
    const sim = classroom();
    sim.run({ type: 'consistency.set', w: 5, r: 5 });
    sim.run({ type: 'link.mode', mode: 'slow', slowLatencyMs: 4000 });
    const w = sim.post('wendy', 'slowly');
    sim.advance(3999);
    expect(sim.post_('east', w)).toBeUndefined();
    sim.advance(1);
    expect(sim.post_('east', w)?.text).toBe('slowly');
    expect(quorumStatus(sim.state, 'west').canWrite).toBe(true);
    expect(sim.state.link.since).toBe(sim.now - 4000);
  });
});

describe('[CLK1] skewed clocks', () => {
  it('[CLK1] each datacenter stamps ops with server time plus its own skew', () => {
    const sim = classroom();
    sim.run({ type: 'clock.skew', dc: 'west', skewMs: 2500 });
    sim.run({ type: 'clock.skew', dc: 'east', skewMs: -4000 });
    const w = sim.post('wendy', 'w');
    const e = sim.post('ed', 'e');
    expect(sim.post_('west', w)?.createdAt).toBe(sim.now + 2500);
    expect(sim.post_('east', e)?.createdAt).toBe(sim.now - 4000);
    expect(step(sim.state, { type: 'clock.skew', dc: 'east', skewMs: 10_001 }, { now: sim.now }).ok).toBe(false);
  });
});

describe('[CAP1] [CAP2] [CAP3] quorums on the [A,B] | [C,D,E] split', () => {
  it('[CAP1] in strict-majority mode West refuses writes during a split with a reason; East accepts; nothing is stored', () => {
    const sim = classroom();
    sim.run({ type: 'consistency.set', w: 3, r: 3 });
    sim.run({ type: 'link.mode', mode: 'cut' });
    const result = step(sim.state, { type: 'post.create', opId: sim.opId(), participantId: 'wendy', parentId: null, text: 'refused' }, { now: sim.now });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toEqual({ code: 'no_quorum', message: 'West can reach 2 of 5 nodes; writes need 3.' });
    expect(sim.post('ed', 'East carries on')).toBeTruthy();
    expect(quorumStatus(sim.state, 'west').readRefusal).toBe('West can reach 2 of 5 nodes; reads need 3.');
    expect(quorumStatus(sim.state, 'east').canRead).toBe(true);
  });

  it('[CAP1] a one-way cut is a split for quorums too: a quorum needs answers back', () => {
    const sim = classroom();
    sim.run({ type: 'consistency.set', w: 3, r: 3 });
    sim.run({ type: 'link.mode', mode: 'cut-east-to-west' });
    expect(quorumStatus(sim.state, 'west').canWrite).toBe(false);
    expect(quorumStatus(sim.state, 'east').canWrite).toBe(true);
  });

  it('[CAP2] for every W and R in 1..5, each side can write iff it reaches W nodes and read iff it reaches R', () => {
    for (let w = 1; w <= 5; w += 1) {
      for (let r = 1; r <= 5; r += 1) {
        const sim = classroom();
        sim.run({ type: 'consistency.set', w, r });
        for (const dc of ['west', 'east'] as const) {
          const up = quorumStatus(sim.state, dc);
          expect([up.canWrite, up.canRead, up.overlapping]).toEqual([true, true, w + r > 5]);
        }
        sim.run({ type: 'link.mode', mode: 'cut' });
        const west = quorumStatus(sim.state, 'west');
        const east = quorumStatus(sim.state, 'east');
        expect([west.reachable, east.reachable]).toEqual([
          ['A', 'B'],
          ['C', 'D', 'E'],
        ]);
        expect([west.canWrite, west.canRead]).toEqual([w <= 2, r <= 2]);
        expect([east.canWrite, east.canRead]).toEqual([w <= 3, r <= 3]);
        const attempt = step(sim.state, { type: 'post.create', opId: sim.opId(), participantId: 'wendy', parentId: null, text: 'x' }, { now: sim.now });
        expect(attempt.ok).toBe(w <= 2);
      }
    }
  });

  it('[CAP3] W = 5 refuses writes and R = 5 refuses reads on both sides during a split', () => {
    const sim = classroom();
    sim.run({ type: 'consistency.set', w: 5, r: 1 });
    sim.run({ type: 'link.mode', mode: 'cut' });
    for (const dc of ['west', 'east'] as const) expect(quorumStatus(sim.state, dc).canWrite).toBe(false);
    expect(sim.refuse({ type: 'post.create', opId: sim.opId(), participantId: 'ed', parentId: null, text: 'x' })).toBe('no_quorum');
    sim.run({ type: 'consistency.set', w: 1, r: 5 });
    for (const dc of ['west', 'east'] as const) {
      expect(quorumStatus(sim.state, dc).canRead).toBe(false);
      expect(quorumStatus(sim.state, dc).canWrite).toBe(true);
    }
  });
});

describe('[FO1] failover', () => {
  it('[FO1] a participant moved to the other datacenter keeps their identity and their next writes originate there', () => {
    const sim = classroom();
    sim.run({ type: 'link.mode', mode: 'cut' });
    const before = sim.post('wendy', 'from West');
    sim.run({ type: 'participant.move', participantId: 'wendy', to: 'east' });
    expect(sim.state.participants.get('wendy')).toMatchObject({ id: 'wendy', name: 'wendy', home: 'east' });
    const after = sim.post('wendy', 'from East');
    expect(sim.post_('west', before)?.createdIn).toBe('west');
    expect(sim.post_('east', after)?.createdIn).toBe('east');
    expect(sim.post_('west', after)).toBeUndefined();
    // Her West post has not reached East: from there she cannot edit it (it does not exist there yet).
    expect(sim.refuse({ type: 'post.edit', opId: sim.opId(), participantId: 'wendy', postId: before, text: 'x' })).toBe('unknown_post');
  });

  it('[FO1] a student can switch datacenter themselves unless the instructor locks it', () => {
    const sim = classroom();
    sim.run({ type: 'participant.switch', participantId: 'ed' });
    expect(sim.state.participants.get('ed')?.home).toBe('west');
    sim.run({ type: 'settings.lockSwitch', locked: true });
    expect(sim.refuse({ type: 'participant.switch', participantId: 'ed' })).toBe('locked');
    sim.run({ type: 'participant.move', participantId: 'ed', to: 'east' });
    expect(sim.state.participants.get('ed')?.home).toBe('east');
  });
});

describe('divergence meter', () => {
  it('counts posts only on one side, objects changed on both, and like counts that differ', () => {
    const sim = classroom();
    const shared = sim.post('wendy', 'shared');
    sim.flush();
    sim.run({ type: 'link.mode', mode: 'cut' });
    sim.post('wendy', 'w1');
    sim.post('wendy', 'w2');
    sim.post('ed', 'e1');
    sim.edit('wendy', PINNED_POST_ID, 'west version');
    sim.edit('ed', PINNED_POST_ID, 'east version');
    sim.like('ed', shared);
    expect(divergence(sim.state)).toEqual({ onlyWest: 2, onlyEast: 1, changedOnBoth: 1, likesDiffer: 1 });
  });
});
