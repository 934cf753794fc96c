import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PINNED_POST_ID,
  compareVV,
  createInitialState,
  likeCount,
  mergeVV,
  step,
  type Command,
  type SimState,
  inFlightMessages,
} from '../../server/sim/index.ts';
import { actionLists, plainPosts, randomAction, SimDriver, type Action } from '../support/sim.ts';
import { fuzz, fuzzRuns, fuzzTimeout } from '../support/fuzz.ts';

const RUNS = fuzzRuns(60);

/** Pinned: Wendy's edit overtakes her post on a jittery link, then Ed likes and replies (the reorder NET1 is about). */
const NET1_OVERTAKE = {
  seed: 7,
  actions: [
    { kind: 'post', who: 'wendy', reply: false, target: 0 },
    { kind: 'wait', ms: 1, tick: true },
    { kind: 'edit', who: 'wendy', target: 0 },
    { kind: 'wait', ms: 500, tick: true },
    { kind: 'like', who: 'ed', target: 0 },
    { kind: 'post', who: 'ed', reply: true, target: 0 },
    { kind: 'delete', who: 'wendy', target: 0 },
  ] satisfies Action[],
};

/** Two students, Wendy in West and Ed in East (balanced placement puts the first in West). */
function classroom(seed = 1): SimDriver {
  const sim = new SimDriver(seed);
  sim.join('wendy');
  sim.join('ed');
  return sim;
}

function replicasEqual(state: SimState): void {
  expect(plainPosts(state, 'east')).toEqual(plainPosts(state, 'west'));
}

describe('participants', () => {
  it('places newcomers in the datacenter with fewer people', () => {
    const sim = classroom();
    sim.join('third');
    const homes = [...sim.state.participants.values()].map((p) => p.home);
    expect(homes).toEqual(['west', 'east', 'west']);
  });

  it('joining twice with the same id changes nothing', () => {
    const sim = classroom();
    const before = sim.state;
    expect(sim.run({ type: 'participant.join', participantId: 'wendy', name: 'Other' })).toEqual([]);
    expect(sim.state.participants).toEqual(before.participants);
  });
});

describe('[NET1] replication over the link', () => {
  it('[NET1] a West post reaches East only after the latency', () => {
    const sim = classroom();
    sim.run({ type: 'link.configure', latencyMs: 400, jitterMs: 0 });
    const id = sim.post('wendy', 'hello');
    expect(sim.post_('west', id)?.text).toBe('hello');
    expect(sim.post_('east', id)).toBeUndefined();
    sim.advance(399);
    expect(sim.post_('east', id)).toBeUndefined();
    sim.advance(1);
    expect(sim.post_('east', id)?.text).toBe('hello');
    expect(inFlightMessages(sim.state)).toHaveLength(0);
  });

  it('[NET1] jitter reorders messages: an edit can arrive before the create, and replicas still agree', () => {
    // Find a seed where the second message overtakes the first; the point is that it happens.
    let overtaken = false;
    for (let seed = 1; seed < 200 && !overtaken; seed += 1) {
      const sim = classroom(seed);
      sim.run({ type: 'link.configure', latencyMs: 100, jitterMs: 1000 });
      const id = sim.post('wendy', 'v1');
      sim.advance(1);
      sim.edit('wendy', id, 'v2');
      const [first, second] = inFlightMessages(sim.state);
      if (!first || !second || second.deliverAt >= first.deliverAt) continue;
      overtaken = true;
      sim.now = second.deliverAt;
      sim.run({ type: 'tick' });
      const early = sim.post_('east', id);
      expect(early?.created).toBe(false);
      expect(early?.text).toBe('v2');
      sim.flush();
      expect(sim.post_('east', id)?.created).toBe(true);
      expect(sim.post_('east', id)?.text).toBe('v2');
      replicasEqual(sim.state);
    }
    expect(overtaken).toBe(true);
  });

  it('[NET1] fuzz: random writes on both sides with jitter end in equal replicas once delivered', () => {
    const actions = randomAction({ people: ['wendy', 'ed'], authors: 'sometimes', weights: { post: 3, edit: 2, like: 1, unlike: 1, delete: 1, wait: 2 }, waits: fc.integer({ min: 0, max: 700 }) });
    fuzz(
      fc.record({ seed: fc.integer({ min: 1, max: 2 ** 30 }), actions: actionLists(actions, { maxLength: 60 }) }),
      ({ seed, actions }) => {
        const sim = classroom(seed);
        sim.run({ type: 'link.configure', latencyMs: 200, jitterMs: 600 });
        sim.actAll(actions);
        sim.expectConverged();
        // The log replays to the same state (REL1's foundation): determinism.
        sim.expectReplays();
      },
      { runs: RUNS, examples: [NET1_OVERTAKE] },
    );
  }, fuzzTimeout(RUNS));
});

describe('[CLK1] clocks', () => {
  it('[CLK1] an op records its datacenter wall clock (server time plus skew) and a Lamport time', () => {
    const sim = classroom();
    sim.state = { ...sim.state, skew: { west: 0, east: -4000 } };
    const w = sim.post('wendy', 'w');
    const e = sim.post('ed', 'e');
    expect(sim.post_('west', w)?.createdAt).toBe(sim.now);
    expect(sim.post_('east', e)?.createdAt).toBe(sim.now - 4000);
    expect(sim.post_('west', w)?.lamport).toBe(1);
    expect(sim.post_('east', e)?.lamport).toBe(1);
  });

  it('[CLK1] receiving moves the Lamport counter to max(own, received) + 1', () => {
    const sim = classroom();
    sim.run({ type: 'link.configure', latencyMs: 10, jitterMs: 0 });
    for (let i = 0; i < 5; i += 1) sim.post('wendy', `w${i}`); // West at 5
    sim.post('ed', 'e0'); // East at 1
    sim.advance(10); // East receives West's five
    // East was at 1; each received op moves it to max(own, received) + 1: 2, 3, 4, 5, then 6.
    expect(sim.state.replicas.east.lamport).toBe(6);
    const id = sim.post('ed', 'after');
    expect(sim.post_('east', id)?.lamport).toBe(7);
  });
});

describe('[VV1] version vectors', () => {
  it('[VV1] one vector dominates another, or they are concurrent', () => {
    expect(compareVV({ west: 1, east: 0 }, { west: 1, east: 0 })).toBe('equal');
    expect(compareVV({ west: 1, east: 0 }, { west: 2, east: 0 })).toBe('before');
    expect(compareVV({ west: 2, east: 1 }, { west: 2, east: 0 })).toBe('after');
    expect(compareVV({ west: 2, east: 0 }, { west: 1, east: 1 })).toBe('concurrent');
    expect(mergeVV({ west: 2, east: 0 }, { west: 1, east: 1 })).toEqual({ west: 2, east: 1 });
  });

  it('[VV1] every write bumps its datacenter in the object vector; edits on both sides before replicating are concurrent', () => {
    const sim = classroom();
    sim.run({ type: 'link.configure', latencyMs: 500, jitterMs: 0 });
    sim.edit('wendy', PINNED_POST_ID, 'west text');
    sim.edit('ed', PINNED_POST_ID, 'east text');
    const w = sim.post_('west', PINNED_POST_ID)?.vv;
    const e = sim.post_('east', PINNED_POST_ID)?.vv;
    expect(w).toEqual({ west: 1, east: 0 });
    expect(e).toEqual({ west: 0, east: 1 });
    expect(compareVV(w ?? { west: 0, east: 0 }, e ?? { west: 0, east: 0 })).toBe('concurrent');
    sim.flush();
    expect(sim.post_('west', PINNED_POST_ID)?.vv).toEqual({ west: 1, east: 1 });
    replicasEqual(sim.state);
  });
});

describe('posts: edit, delete, like', () => {
  it('a person edits and deletes only their own posts; anyone edits the pinned post; nobody deletes it', () => {
    const sim = classroom();
    sim.join('walt'); // West, with Wendy
    const id = sim.post('wendy', 'mine');
    expect(sim.refuse({ type: 'post.edit', opId: sim.opId(), participantId: 'walt', postId: id, text: 'x' })).toBe('not_author');
    expect(sim.refuse({ type: 'post.delete', opId: sim.opId(), participantId: 'walt', postId: id })).toBe('not_author');
    sim.edit('walt', PINNED_POST_ID, 'walt was here');
    expect(sim.post_('west', PINNED_POST_ID)?.text).toBe('walt was here');
    expect(sim.refuse({ type: 'post.delete', opId: sim.opId(), participantId: 'wendy', postId: PINNED_POST_ID })).toBe('invalid');
    sim.run({ type: 'post.delete', opId: sim.opId(), participantId: 'wendy', postId: id });
    expect(sim.post_('west', id)?.deleted).toBe(true);
    expect(sim.refuse({ type: 'post.like', opId: sim.opId(), participantId: 'walt', postId: id })).toBe('post_deleted');
    expect(sim.refuse({ type: 'post.create', opId: sim.opId(), participantId: 'walt', parentId: id, text: 'reply' })).toBe('post_deleted');
  });

  it('a write to a post that has not reached my datacenter is refused', () => {
    const sim = classroom();
    const id = sim.post('wendy', 'west only so far');
    expect(sim.refuse({ type: 'post.like', opId: sim.opId(), participantId: 'ed', postId: id })).toBe('unknown_post');
    expect(sim.refuse({ type: 'post.like', opId: sim.opId(), participantId: 'nobody', postId: id })).toBe('unknown_participant');
  });

  it('likes count people: liking twice is one like, unlike removes it, and both sides agree', () => {
    const sim = classroom();
    const id = sim.post('wendy', 'like me');
    sim.flush();
    sim.like('wendy', id);
    sim.like('wendy', id);
    sim.like('ed', id);
    sim.flush();
    expect(likeCount(sim.post_('east', id)!)).toBe(2);
    sim.run({ type: 'post.unlike', opId: sim.opId(), participantId: 'ed', postId: id });
    sim.flush();
    expect(likeCount(sim.post_('west', id)!)).toBe(1);
    replicasEqual(sim.state);
  });

  it('concurrent edits converge on the later Lamport time; a delete concurrent with an edit wins', () => {
    const sim = classroom();
    const id = sim.post('wendy', 'v1');
    sim.flush();
    sim.edit('wendy', id, 'west edit');
    sim.run({ type: 'post.edit', opId: sim.opId(), participantId: 'wendy', postId: PINNED_POST_ID, text: 'bump' });
    sim.edit('wendy', id, 'west edit 2');
    sim.flush();
    expect(sim.post_('east', id)?.text).toBe('west edit 2');
    const other = sim.post('ed', 'ed post');
    sim.flush();
    sim.run({ type: 'post.delete', opId: sim.opId(), participantId: 'ed', postId: other });
    sim.edit('ed', PINNED_POST_ID, 'east pinned');
    sim.edit('wendy', PINNED_POST_ID, 'west pinned');
    sim.flush();
    expect(sim.post_('west', other)?.deleted).toBe(true);
    replicasEqual(sim.state);
  });

  it('[REL2] an op id is applied once, however often it is sent', () => {
    const sim = classroom();
    const command: Command = { type: 'post.create', opId: 'op-retry-0001', participantId: 'wendy', parentId: null, text: 'once' };
    sim.run(command);
    const before = sim.state;
    const again = step(sim.state, command, { now: sim.now });
    expect(again.ok && again.events).toEqual([]);
    expect(again.ok && again.state.replicas).toEqual(before.replicas);
    sim.flush();
    expect([...sim.state.replicas.east.posts.values()].filter((p) => p.text === 'once')).toHaveLength(1);
  });

  it('reset clears the posts and the link but keeps the people', () => {
    const sim = classroom();
    sim.post('wendy', 'gone soon');
    sim.run({ type: 'session.reset' });
    expect([...sim.state.replicas.west.posts.keys()]).toEqual([PINNED_POST_ID]);
    expect(inFlightMessages(sim.state)).toEqual([]);
    expect([...sim.state.participants.keys()]).toEqual(['wendy', 'ed']);
  });

  it('step never mutates its input state', () => {
    const sim = classroom();
    const frozen = structuredClone(sim.state);
    const before = sim.state;
    sim.post('wendy', 'x');
    sim.advance(1000);
    expect(before).toEqual(frozen);
    expect(createInitialState(1)).toEqual(createInitialState(1));
  });
});
