/**
 * The core's state as a value: replay equals live stepping (PERF1), a refusal changes nothing,
 * snapshots round-trip, the divergence meter kept per op equals a full rescan, and op ids are
 * applied once for the life of a session (REL2, REL4, REL5, SEC9).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PINNED_POST_ID,
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
import { SimDriver, postsIn } from '../support/sim.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const TIMEOUT = Math.max(15_000, RUNS * 150);
const PEOPLE = ['wendy', 'ed', 'walt', 'eve'] as const;

/** One random thing a class or an instructor does; targets are indexes into the posts made so far. */
const action = fc.record({
  kind: fc.integer({ min: 0, max: 15 }),
  who: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
  target: fc.nat(),
  dt: fc.integer({ min: 0, max: 900 }),
  tick: fc.boolean(),
  n: fc.integer({ min: 0, max: 4 }),
});
type Action = typeof action extends fc.Arbitrary<infer T> ? T : never;

const MODES = ['up', 'cut', 'cut-west-to-east', 'cut-east-to-west', 'slow'] as const;
const STRATS = ['lww', 'merge', 'human'] as const;

/** The command an action stands for, given the post ids made so far. */
function commandOf(a: Action, posts: readonly string[], opId: string): Command {
  const who = PEOPLE[a.who] ?? 'wendy';
  const target = posts.length > 0 ? (posts[a.target % posts.length] ?? PINNED_POST_ID) : PINNED_POST_ID;
  switch (a.kind) {
    case 0:
    case 1:
      return { type: 'post.create', opId, participantId: who, parentId: null, text: `post ${opId}` };
    case 2:
      return { type: 'post.create', opId, participantId: who, parentId: target, text: `reply ${opId}` };
    case 3:
    case 4:
      return { type: 'post.edit', opId, participantId: who, postId: a.n === 0 ? PINNED_POST_ID : target, text: `edit ${opId}` };
    case 5:
      return { type: 'post.delete', opId, participantId: who, postId: target };
    case 6:
    case 7:
      return { type: 'post.like', opId, participantId: who, postId: target };
    case 8:
      return { type: 'post.unlike', opId, participantId: who, postId: target };
    case 9:
      return { type: 'link.mode', mode: MODES[a.n] ?? 'up' };
    case 10:
      return { type: 'strategy.set', strategy: STRATS[a.n % 3] ?? 'lww' };
    case 11:
      return { type: 'conflict.resolve', opId, participantId: a.n === 0 ? null : who, dc: 'east', postId: target, keep: a.n % 2 === 0 ? 'west' : a.n === 3 ? 'both' : 'east' };
    case 12:
      return { type: 'participant.switch', participantId: who };
    case 13:
      return { type: 'clock.skew', dc: a.n % 2 === 0 ? 'west' : 'east', skewMs: (a.n - 2) * 700 };
    case 14:
      return a.n === 4 ? { type: 'session.reset' } : { type: 'link.configure', latencyMs: 100 * a.n, jitterMs: 300 };
    default:
      // A retry of an op id already used, maybe for another kind of write (REL2, SEC9).
      return { type: 'post.like', opId: posts[a.target % Math.max(1, posts.length)] ?? 'op-none', participantId: who, postId: target };
  }
}

/**
 * A live session: commands with ticks in between (as the server's timer runs them), and its log.
 * With `refusedToo`, refused commands are logged as well (a log the core has since changed under).
 */
function live(actions: readonly Action[], seed: number, each?: (state: SimState) => void, refusedToo = false) {
  let state = createInitialState(seed);
  let now = 1_000_000;
  const log: { at: number; command: Command }[] = [];
  const posts: string[] = [];
  const stepLive = (command: Command): boolean => {
    const r = step(state, command, { now });
    if (!r.ok) return false;
    state = r.state;
    each?.(state);
    return true;
  };
  for (const id of PEOPLE) {
    stepLive({ type: 'participant.join', participantId: id, name: id });
    log.push({ at: now, command: { type: 'participant.join', participantId: id, name: id } });
  }
  actions.forEach((a, i) => {
    now += a.dt;
    if (a.tick) {
      stepLive({ type: 'tick' });
      now += 1;
    }
    const opId = `op-${String(i).padStart(6, '0')}`;
    const command = commandOf(a, posts, opId);
    const accepted = stepLive(command);
    if (accepted || refusedToo) log.push({ at: now, command });
    if (accepted && command.type === 'post.create') posts.push(command.opId);
  });
  return { state, log, end: now + 100_000 };
}

function json(state: SimState): string {
  return JSON.stringify(snapshotOf(state));
}

/** Both runs deliver what is due by `end`, then must be the same value. */
function settled(state: SimState, end: number): string {
  const r = step(state, { type: 'tick' }, { now: end });
  if (!r.ok) throw new Error('tick refused');
  return json(r.state);
}

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
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 1000 }), (actions, seed) => {
        const run = live(actions, seed);
        const replayed = replay(seed, run.log);
        expect(settled(replayed, run.end)).toBe(settled(run.state, run.end));
      }),
      { numRuns: RUNS, seed: FUZZ_SEED },
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
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 1000 }), (actions, seed) => {
        const run = live(actions, seed, undefined, true);
        // Live: each logged command stepped alone, a refusal keeping the state; the timeline folded per step.
        let state = createInitialState(seed);
        let timeline = EMPTY_TIMELINE;
        for (const entry of run.log) {
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
        for (const entry of run.log) {
          const r = replayStep(owned, entry.command, { now: entry.at });
          owned = r.state;
          recorder.add(r.events, owned);
        }
        const replayed = releaseCollections(owned);
        expect(settled(replayed, run.end)).toBe(settled(state, run.end));
        expect(settled(replay(seed, run.log), run.end)).toBe(settled(state, run.end));
        // The refused commands' deliveries are recorded a step earlier than live: the same timeline once delivered.
        const tick = (s: SimState, t: typeof timeline) => {
          const r = step(s, { type: 'tick' }, { now: run.end });
          if (!r.ok) throw new Error('tick refused');
          return recordTimeline(t, r.events, r.state).timeline;
        };
        expect(tick(replayed, recorder.timeline())).toEqual(tick(state, timeline));
      }),
      { numRuns: RUNS, seed: FUZZ_SEED },
    );
    // The generator's logs do hold refused commands.
    expect(refused).toBeGreaterThan(RUNS / 4);
  }, TIMEOUT);

  it('[PERF1] the state a replay returns is a plain value: stepping it twice gives the same, and leaves it as it was', () => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 60 }), fc.array(action, { minLength: 1, maxLength: 10 }), fc.integer({ min: 1, max: 1000 }), (actions, more, seed) => {
        const run = live(actions, seed);
        const replayed = replay(seed, run.log);
        const frozen = json(replayed);
        const continueWith = (start: SimState) => {
          let s = start;
          more.forEach((a, i) => {
            const r = step(s, commandOf(a, [], `more-${i}`), { now: run.end + i });
            if (r.ok) s = r.state;
          });
          return json(s);
        };
        expect(continueWith(replayed)).toBe(continueWith(replayed));
        expect(json(replayed)).toBe(frozen);
      }),
      { numRuns: RUNS, seed: FUZZ_SEED },
    );
  }, TIMEOUT);
});

describe('snapshots for restarts', () => {
  it('[PERF1] snapshot, JSON, restore, then continue stepping equals never having snapshotted', () => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 2, maxLength: 60 }), fc.nat(), fc.integer({ min: 1, max: 1000 }), (actions, cutAt, seed) => {
        const run = live(actions, seed);
        const at = cutAt % run.log.length;
        const head = replay(seed, run.log.slice(0, at));
        let restored = stateFromSnapshot(JSON.parse(JSON.stringify(snapshotOf(head))) as JsonValue);
        expect(json(restored)).toBe(json(head));
        for (const entry of run.log.slice(at)) {
          const r = step(restored, entry.command, { now: entry.at });
          if (r.ok) restored = r.state;
        }
        expect(settled(restored, run.end)).toBe(settled(run.state, run.end));
      }),
      { numRuns: RUNS, seed: FUZZ_SEED },
    );
  }, TIMEOUT);
});

describe('divergence meter kept per op', () => {
  it('equals a full rescan of both replicas after every step of random histories', () => {
    let checked = 0;
    let nonZero = 0;
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 80 }), fc.integer({ min: 1, max: 1000 }), (actions, seed) => {
        live(actions, seed, (state) => {
          expect(divergence(state)).toEqual(rescan(state));
          checked += 1;
          if (Object.values(divergence(state)).some((n) => n > 0)) nonZero += 1;
        });
      }),
      { numRuns: RUNS, seed: FUZZ_SEED },
    );
    // The generator reaches divergent states, not only agreeing ones.
    expect(nonZero).toBeGreaterThan(checked / 10);
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
