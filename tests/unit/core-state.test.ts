/**
 * The core's state as a value: replay equals live stepping (PERF1), a refusal changes nothing,
 * snapshots round-trip, the divergence meter kept per op equals a full rescan, and op ids are
 * applied once for the life of a session (REL2, REL4, REL5, SEC9).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyOps,
  compareVV,
  createInitialState,
  divergence,
  ownCollections,
  recordTimeline,
  EMPTY_TIMELINE,
  releaseCollections,
  replay,
  replayStep,
  snapshotOf,
  stateFromSnapshot,
  step,
  timelineRecorder,
  type Command,
  type Divergence,
  type JsonValue,
  type Op,
  type SimState,
} from '../../server/sim/index.ts';
import { actionLists, postsIn, randomAction, settledJson, SimDriver } from '../support/sim.ts';
import { expectGenerated, fuzz, fuzzRuns, fuzzTimeout } from '../support/fuzz.ts';

const RUNS = fuzzRuns(40);
const TIMEOUT = fuzzTimeout(RUNS);
const PEOPLE = ['wendy', 'ed', 'walt', 'eve'] as const;

/** Anything a class or an instructor does, retries of used op ids and rewinds included, ticks now and then. */
const actions = randomAction({
  people: PEOPLE,
  authors: 'sometimes',
  weights: { post: 6, edit: 4, delete: 2, like: 4, unlike: 2, mode: 2, strategy: 2, resolve: 2, switch: 2, skew: 2, link: 2, retry: 2, rewind: 2, reset: 1, wait: 10 },
  waits: fc.integer({ min: 0, max: 900 }),
  ticks: 'sometimes',
});
type Action = typeof actions extends fc.Arbitrary<infer T> ? T : never;
const history = (maxLength: number) => fc.record({ seed: fc.integer({ min: 1, max: 1000 }), actions: actionLists(actions, { minLength: 1, maxLength }) });

/** Pinned: a split healed by human choice, the conflict chosen by the instructor, the heal rewound and merged, a retried op id. */
const CHOICE_REWIND_RETRY: { seed: number; actions: Action[] } = {
  seed: 2,
  actions: [
    { kind: 'post', who: 'wendy', reply: false, target: 0 },
    { kind: 'wait', ms: 900, tick: true },
    { kind: 'strategy', strategy: 'human' },
    { kind: 'mode', mode: 'cut' },
    { kind: 'edit', who: 'wendy', target: 0 },
    { kind: 'switch', who: 'wendy' },
    { kind: 'edit', who: 'wendy', target: 0 },
    { kind: 'mode', mode: 'up' },
    { kind: 'resolve', who: null, target: 0, keep: 'east' },
    { kind: 'rewind' },
    { kind: 'strategy', strategy: 'merge' },
    { kind: 'mode', mode: 'up' },
    { kind: 'retry', who: 'ed', target: 0 },
  ],
};

/** A live session: the actions with the ticks the server's timer runs, its log, and every command tried. */
function live(h: { seed: number; actions: readonly Action[] }, each?: (state: SimState) => void) {
  const sim = new SimDriver(h.seed);
  sim.observe = each ?? null;
  for (const id of PEOPLE) sim.join(id);
  sim.actAll(h.actions);
  return { state: sim.state, log: sim.log, tried: sim.tried, end: sim.now + 100_000 };
}

function json(state: SimState): string {
  return JSON.stringify(snapshotOf(state));
}

/** Both runs deliver what is due by `end`, then must be the same value. */
const settled = settledJson;

/** The meter as the old core computed it: a scan of every post of both replicas, likes counted by hand. */
function rescan(state: SimState): Divergence {
  const likes = (p: { likes: Iterable<[string, { on: boolean }]> }) => [...p.likes].filter(([, m]) => m.on).length;
  const west = state.replicas.west.posts;
  const east = state.replicas.east.posts;
  let onlyWest = 0;
  let onlyEast = 0;
  let changedOnBoth = 0;
  let likesDiffer = 0;
  for (const [id, w] of west) {
    const e = east.get(id);
    if (!w.created) continue;
    if (!e?.created) {
      onlyWest += 1;
      continue;
    }
    if (compareVV(w.vv, e.vv) === 'concurrent') changedOnBoth += 1;
    if (likes(w) !== likes(e)) likesDiffer += 1;
  }
  for (const [id, e] of east) if (e.created && !west.get(id)?.created) onlyEast += 1;
  return { onlyWest, onlyEast, changedOnBoth, likesDiffer };
}

describe('[PERF1] a log replays to the state live stepping reached', () => {
  it('[PERF1] replay(log) equals stepping one command at a time with ticks in between, for random logs', () => {
    fuzz(
      history(80),
      (h) => {
        const run = live(h);
        const replayed = replay(h.seed, run.log);
        expect(settled(replayed, run.end)).toBe(settled(run.state, run.end));
      },
      { runs: RUNS, examples: [CHOICE_REWIND_RETRY] },
    );
  }, TIMEOUT);

  it('[PERF1] a refused command leaves the state unchanged, deliveries due included', () => {
    const sim = new SimDriver();
    for (const id of PEOPLE) sim.join(id);
    const id = sim.post('wendy', 'mine');
    sim.now += 10_000; // the post is due in East: a refusal must not deliver it either
    const before = sim.state;
    const frozen = json(before);
    const refusals: Command[] = [
      { type: 'post.edit', opId: 'edit-00000001', participantId: 'ed', postId: id, text: 'not yours' },
      { type: 'post.create', opId: 'post-00000001', participantId: 'nobody', parentId: null, text: 'who?' },
      { type: 'consistency.set', w: 9, r: 1 },
      { type: 'conflict.resolve', opId: 'pick-00000001', participantId: 'wendy', postId: id, keep: 'west' },
    ];
    for (const command of refusals) {
      expect(step(before, command, { now: sim.now }).ok).toBe(false);
      expect(json(before)).toBe(frozen);
    }
    expect(sim.state).toBe(before);
    expect(sim.post_('east', id)).toBeUndefined();
  });
});

describe('[PERF1] replay owns its state and changes it in place', () => {
  it('[PERF1] a log with refused commands replays to the state live stepping reached, and the same timeline', () => {
    let refused = 0;
    fuzz(
      history(80),
      ({ seed, actions }) => {
        const run = live({ seed, actions });
        // Live: each command tried stepped alone, a refusal keeping the state; the timeline folded per step.
        let state = createInitialState(seed);
        let timeline = EMPTY_TIMELINE;
        for (const entry of run.tried) {
          const r = step(state, entry.command, { now: entry.at });
          if (!r.ok) {
            refused += 1;
            continue;
          }
          state = r.state;
          timeline = recordTimeline(timeline, r.events, state).timeline;
        }
        // Replayed in place, with the runtime's recorder.
        let owned = ownCollections(createInitialState(seed));
        const recorder = timelineRecorder();
        for (const entry of run.tried) {
          const r = replayStep(owned, entry.command, { now: entry.at });
          owned = r.state;
          recorder.add(r.events, owned);
        }
        const replayed = releaseCollections(owned);
        expect(settled(replayed, run.end)).toBe(settled(state, run.end));
        expect(settled(replay(seed, run.tried), run.end)).toBe(settled(state, run.end));
        // The refused commands' deliveries are recorded a step earlier than live: the same timeline once delivered.
        const tick = (s: SimState, t: typeof timeline) => {
          const r = step(s, { type: 'tick' }, { now: run.end });
          if (!r.ok) throw new Error('tick refused');
          return recordTimeline(t, r.events, r.state).timeline;
        };
        expect(tick(replayed, recorder.timeline())).toEqual(tick(state, timeline));
      },
      { runs: RUNS, examples: [CHOICE_REWIND_RETRY] },
    );
    // The generator's logs do hold refused commands.
    expectGenerated(() => {
      expect(refused).toBeGreaterThan(RUNS / 4);
    });
  }, TIMEOUT);

  it('[PERF1] the state a replay returns is a plain value: stepping it twice gives the same, and leaves it as it was', () => {
    fuzz(
      fc.record({ h: history(60), more: fc.array(actions, { minLength: 1, maxLength: 10 }) }),
      ({ h, more }) => {
        const run = live(h);
        const replayed = replay(h.seed, run.log);
        const frozen = json(replayed);
        const continueWith = (start: SimState) => {
          const sim = new SimDriver(h.seed, run.end, start);
          sim.opPrefix = 'more';
          sim.actAll(more);
          return json(sim.state);
        };
        expect(continueWith(replayed)).toBe(continueWith(replayed));
        expect(json(replayed)).toBe(frozen);
      },
      { runs: RUNS, examples: [{ h: CHOICE_REWIND_RETRY, more: CHOICE_REWIND_RETRY.actions }] },
    );
  }, TIMEOUT);
});

describe('snapshots for restarts', () => {
  it('[PERF1] snapshot, JSON, restore, then continue stepping equals never having snapshotted', () => {
    fuzz(
      fc.record({ h: history(60), cutAt: fc.nat() }),
      ({ h, cutAt }) => {
        const run = live(h);
        const at = cutAt % run.log.length;
        const head = replay(h.seed, run.log.slice(0, at));
        let restored = stateFromSnapshot(JSON.parse(JSON.stringify(snapshotOf(head))) as JsonValue);
        expect(json(restored)).toBe(json(head));
        for (const entry of run.log.slice(at)) {
          const r = step(restored, entry.command, { now: entry.at });
          if (r.ok) restored = r.state;
        }
        expect(settled(restored, run.end)).toBe(settled(run.state, run.end));
      },
      { runs: RUNS, examples: [{ h: CHOICE_REWIND_RETRY, cutAt: 9 }] },
    );
  }, TIMEOUT);
});

describe('divergence meter kept per op', () => {
  it('equals a full rescan of both replicas after every step of random histories', () => {
    let checked = 0;
    let nonZero = 0;
    fuzz(
      history(80),
      (h) => {
        live(h, (state) => {
          expect(divergence(state)).toEqual(rescan(state));
          checked += 1;
          if (Object.values(divergence(state)).some((n) => n > 0)) nonZero += 1;
        });
      },
      { runs: RUNS, examples: [CHOICE_REWIND_RETRY] },
    );
    // The generator reaches divergent states, not only agreeing ones.
    expectGenerated(() => {
      expect(nonZero).toBeGreaterThan(checked / 10);
    });
  }, TIMEOUT);
});

describe('[REL2] [REL4] [REL5] [SEC9] an op id is applied once for the life of a session', () => {
  function classroom(): SimDriver {
    const sim = new SimDriver();
    for (const id of PEOPLE) sim.join(id);
    return sim;
  }

  it('[REL4] op ids named __proto__, constructor and toString are applied once, like any other', () => {
    const sim = classroom();
    const target = sim.post('ed', 'like me');
    sim.flush();
    for (const opId of ['__proto__', 'constructor', 'toString']) {
      expect(sim.run({ type: 'post.like', opId, participantId: 'wendy', postId: target }).filter((e) => e.type === 'op.applied')).toHaveLength(1);
      expect(sim.run({ type: 'post.like', opId, participantId: 'wendy', postId: target })).toEqual([]);
      sim.flush();
      for (const dc of ['west', 'east'] as const) expect(sim.state.replicas[dc].applied.has(opId)).toBe(true);
    }
    // A create whose op id is a prototype name is a post like any other, once.
    sim.run({ type: 'post.create', opId: 'hasOwnProperty', participantId: 'wendy', parentId: null, text: 'odd id' });
    expect(sim.run({ type: 'post.create', opId: 'hasOwnProperty', participantId: 'wendy', parentId: null, text: 'odd id' })).toEqual([]);
    sim.flush();
    expect(postsIn(sim.state, 'east').filter((p) => p.text === 'odd id')).toHaveLength(1);
    expect(sim.state.opKinds.get('__proto__')).toBe('like');
  });

  it('[REL5] an op id applied before a reset is still applied after it: the retry changes nothing', () => {
    const sim = classroom();
    const command: Command = { type: 'post.create', opId: 'retry-0000001', participantId: 'wendy', parentId: null, text: 'before the reset' };
    sim.run(command);
    sim.run({ type: 'session.reset' });
    expect(sim.run(command)).toEqual([]);
    sim.flush();
    expect(postsIn(sim.state, 'west').map((p) => p.text)).not.toContain('before the reset');
    // And after a replay of the log (a restart), the same.
    const replayed = replay(sim.seed, [...sim.log, { at: sim.now, command }]);
    expect(postsIn(replayed, 'west').map((p) => p.text)).not.toContain('before the reset');
  });

  it('[SEC9] an op id reused for another kind of write is refused; the same kind again is a no-op', () => {
    const sim = classroom();
    const id = sim.post('wendy', 'a post');
    expect(sim.refuse({ type: 'post.like', opId: id, participantId: 'ed', postId: id })).toBe('op_id_reused');
    expect(sim.refuse({ type: 'post.edit', opId: id, participantId: 'wendy', postId: id, text: 'x' })).toBe('op_id_reused');
    expect(sim.run({ type: 'post.create', opId: id, participantId: 'wendy', parentId: null, text: 'a post' })).toEqual([]);
    const like = sim.opId();
    sim.run({ type: 'post.like', opId: like, participantId: 'walt', postId: id });
    expect(sim.refuse({ type: 'post.unlike', opId: like, participantId: 'walt', postId: id })).toBe('op_id_reused');
    expect(sim.run({ type: 'post.like', opId: like, participantId: 'walt', postId: id })).toEqual([]);
    // Across a reset too.
    sim.run({ type: 'session.reset' });
    expect(sim.refuse({ type: 'post.delete', opId: like, participantId: 'walt', postId: id })).toBe('op_id_reused');
  });

  it("[REL2] a replica applies an op id once, whatever the batch it arrives in (the replica's own dedupe)", () => {
    const sim = classroom();
    const id = sim.post('wendy', 'liked');
    sim.flush();
    const like: Op = { opId: 'like-0000001', kind: 'like', postId: id, author: 'ed', origin: 'east', wall: sim.now, lamport: 50, vv: { west: 1, east: 1 }, at: sim.now };
    const unlike: Op = { ...like, opId: 'unlike-000001', kind: 'unlike', lamport: 51 };
    const west = sim.state.replicas.west;
    const once = applyOps(west, [like], false);
    expect(once.posts.get(id)?.likeTotal).toBe(1);
    // The same op again, alone or in a batch with others, is skipped: the counter and the likes do not move.
    expect(applyOps(once, [like], false)).toBe(once);
    const twice = applyOps(once, [like, unlike, like], false);
    expect(twice.posts.get(id)?.likeTotal).toBe(0);
    expect(twice.applied.size).toBe(once.applied.size + 1);
    expect(twice.lamport).toBe(Math.max(once.lamport, 51) + 1); // one receive, not three
    expect(west.posts.get(id)?.likeTotal).toBe(0); // the input replica is untouched
  });
});
