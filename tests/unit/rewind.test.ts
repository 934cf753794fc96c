/**
 * RWD1: rewinding a heal and healing again with strategy S gives the state a fresh core reaches by
 * healing with S from the log prefix (then applying the writes made after the first heal, in
 * their order). Random histories: a split where both sides write the same posts, a heal, writes
 * after it (a newcomer included), one or two rewinds, each healed another way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_REWIND, PINNED_POST_ID, replay, snapshotOf, step, type Command, type SimState, type Strategy } from '../../server/sim/index.ts';
import { actionLists, AUTHOR, randomAction, SimDriver } from '../support/sim.ts';
import { expectGenerated, fuzz, fuzzRuns, fuzzTimeout } from '../support/fuzz.ts';

interface Timed {
  at: number;
  command: Command;
}

const RUNS = fuzzRuns(40);
const PEOPLE = ['wendy', 'walt', 'ed', 'eve', 'new1', 'new2'] as const;

/** Writes on either side, edits and deletes by their author, each some milliseconds after the last (newcomers write once they joined). */
const writes = randomAction({
  people: PEOPLE,
  authors: true,
  sides: true,
  weights: { edit: 1, delete: 1, like: 1, unlike: 1, post: 2, wait: 3 },
  waits: fc.integer({ min: 1, max: 300 }),
  ticks: false,
});
const strategyArb = fc.constantFrom<Strategy>('lww', 'merge', 'human');

const historyArb = fc.record({
  seed: fc.integer({ min: 1, max: 10_000 }),
  latency: fc.constantFrom(0, 100),
  cut: fc.constantFrom('cut', 'cut', 'cut-west-to-east'),
  split: actionLists(writes, { minLength: 6, maxLength: 30 }),
  // Each round: heal with a strategy, write after it, rewind. The last strategy heals for good.
  rounds: fc.array(fc.record({ strategy: strategyArb, after: fc.array(writes, { maxLength: 12 }), newcomer: fc.boolean() }), { minLength: 1, maxLength: 2 }),
  last: strategyArb,
});
type History = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

/** Pinned: both sides edit and like the same posts, a heal by LWW, a newcomer's reply after it, rewound and merged instead. */
const EDITS_THEN_NEWCOMER: History = {
  seed: 3,
  latency: 100,
  cut: 'cut',
  split: [
    { kind: 'edit', who: AUTHOR, target: 0, on: 'west' },
    { kind: 'edit', who: AUTHOR, target: 0, on: 'east' },
    { kind: 'like', who: 'ed', target: 1, on: 'east' },
    { kind: 'wait', ms: 5, tick: false },
    { kind: 'delete', who: AUTHOR, target: 1, on: 'west' },
  ],
  rounds: [{ strategy: 'lww', after: [{ kind: 'post', who: 'new1', reply: true, target: 0, on: 'west' }, { kind: 'like', who: 'wendy', target: 0 }], newcomer: true }],
  last: 'merge',
};

/** `command` one millisecond after the last, as a server's log spaces them. */
function later(sim: SimDriver, command: Command): void {
  sim.now += 1;
  sim.run(command);
}

/** The state after delivering everything due by `at` (a tick is never logged). */
function due(state: SimState, at: number): SimState {
  const result = step(state, { type: 'tick' }, { now: at });
  return result.ok ? result.state : state;
}

/** The state without the rewind ledger, as JSON: what two cores must agree on. */
function plain(state: SimState): string {
  return JSON.stringify(snapshotOf({ ...state, rewind: NO_REWIND }));
}

interface Built {
  live: SimState;
  log: Timed[];
  /** The fresh core's commands: the prefix before the first heal, then what the rewinds carried. */
  fresh: Timed[];
  /** How many writes the first rewind carried over. */
  carried: number;
}

function build(h: History): Built {
  const sim = new SimDriver(h.seed);
  for (const id of ['wendy', 'ed', 'walt', 'eve']) later(sim, { type: 'participant.join', participantId: id, name: id });
  later(sim, { type: 'link.configure', latencyMs: h.latency, jitterMs: h.latency / 2 });
  for (const who of ['wendy', 'ed']) later(sim, { type: 'post.create', opId: sim.opId(), participantId: who, parentId: null, text: `hello from ${who}` });
  sim.now += 60_000;
  later(sim, { type: 'clock.skew', dc: 'east', skewMs: -1500 });
  later(sim, { type: 'link.mode', mode: h.cut === 'cut' ? 'cut' : 'cut-west-to-east' });
  sim.now += 4;
  if (h.cut !== 'cut') later(sim, { type: 'link.mode', mode: 'cut' });
  // One write the split always has, so there is a heal to rewind whatever the random ones do.
  later(sim, { type: 'post.edit', opId: sim.opId(), participantId: 'wendy', postId: PINNED_POST_ID, text: 'west, at the split' });
  sim.actAll(h.split);
  const prefix = [...sim.log];
  const joins: Timed[] = [];
  const carried: Command[] = [];
  let newcomers = 0;
  let firstCarried = -1;
  for (const round of h.rounds) {
    later(sim, { type: 'strategy.set', strategy: round.strategy });
    sim.now += 9;
    later(sim, { type: 'link.mode', mode: 'up' });
    const healIndex = sim.state.rewind.heals;
    if (round.newcomer) {
      newcomers += 1;
      later(sim, { type: 'participant.join', participantId: `new${newcomers}`, name: `new${newcomers}` });
    }
    const start = sim.log.length;
    sim.actAll(round.after);
    carried.push(...sim.log.slice(start).map((e) => e.command));
    if (firstCarried < 0) firstCarried = carried.filter((c) => c.type !== 'participant.join').length;
    sim.now += 19;
    later(sim, { type: 'heal.rewind', healIndex });
    if (round.newcomer) joins.push({ at: sim.now, command: { type: 'participant.join', participantId: `new${newcomers}`, name: `new${newcomers}` } });
  }
  sim.now += 2;
  later(sim, { type: 'strategy.set', strategy: h.last });
  const strategyAt = sim.now;
  sim.now += 9;
  later(sim, { type: 'link.mode', mode: 'up' });
  const healAt = sim.now;
  // The fresh core: the prefix, the newcomers (kept at each rewind), the strategy, the heal, then the later writes.
  const fresh: Timed[] = [
    ...prefix,
    ...joins,
    { at: strategyAt, command: { type: 'strategy.set', strategy: h.last } },
    { at: healAt, command: { type: 'link.mode', mode: 'up' } },
    ...carried.map((command) => ({ at: healAt, command })),
  ];
  return { live: sim.state, log: sim.log, fresh, carried: firstCarried };
}

describe('rewind', () => {
  it('[RWD1] rewind then heal with S equals a fresh core healing with S from the log prefix, then the later writes', () => {
    let carriedSeen = 0;
    let twoRounds = 0;
    fuzz(
      historyArb,
      (h) => {
        const built = build(h);
        const fresh = replay(h.seed, built.fresh);
        // Compared once both have delivered what is due by the same moment: a write made at the last
        // moment with no latency may still be on the link in one of them, due, not yet delivered.
        const at = Math.max(built.live.now, fresh.now);
        expect(plain(due(built.live, at))).toBe(plain(due(fresh, at)));
        expect(built.live.lastHeal?.strategy).toBe(h.last);
        // Every heal is one attempt on the same history, in order.
        expect(built.live.rewind.attempts.map((a) => a.strategy).toArray()).toEqual([...h.rounds.map((r) => r.strategy), h.last]);
        const last = built.live.rewind.attempts.last();
        // The first rewind queues every write made after its heal; the last heal replays or refuses
        // each queued write, none twice (a replayed write that changes nothing is not carried again).
        expect(built.live.rewind.rewinds.first()?.queued).toBe(built.carried);
        expect((last?.replayed ?? 0) + (last?.refused.length ?? 0)).toBe(built.live.rewind.rewinds.last()?.queued);
        if ((last?.replayed ?? 0) > 0) carriedSeen += 1;
        if (h.rounds.length > 1) twoRounds += 1;
        // A restart replays the stored log to the same state, the ledger included (REL1).
        expect(JSON.stringify(snapshotOf(replay(h.seed, built.log)))).toBe(JSON.stringify(snapshotOf(built.live)));
      },
      { runs: RUNS, examples: [EDITS_THEN_NEWCOMER] },
    );
    // The generator really makes writes that a rewind carries, and histories rewound twice.
    expectGenerated(() => {
      expect(carriedSeen).toBeGreaterThan(0);
      expect(twoRounds).toBeGreaterThan(0);
    });
  }, fuzzTimeout(RUNS));

  it('[RWD1] the rewound heal comes back as held messages and a cut link; the later writes are replayed after the new heal, and its attempt says so', () => {
    const log = new SimDriver(7);
    for (const id of ['wendy', 'ed']) log.join(id);
    const shared = log.opId();
    log.run({ type: 'post.create', opId: shared, participantId: 'wendy', parentId: null, text: 'original' });
    log.now += 60_000;
    log.run({ type: 'link.mode', mode: 'cut' });
    log.run({ type: 'post.edit', opId: log.opId(), participantId: 'wendy', postId: PINNED_POST_ID, text: 'west pinned' });
    log.run({ type: 'post.edit', opId: log.opId(), participantId: 'ed', postId: PINNED_POST_ID, text: 'east pinned' });
    const before = log.state;
    log.run({ type: 'link.mode', mode: 'up' });
    expect(log.state.rewind.attempts.size).toBe(1);
    const later = log.opId();
    log.run({ type: 'post.create', opId: later, participantId: 'ed', parentId: null, text: 'after the heal' });
    expect(log.attempt({ type: 'heal.rewind', healIndex: 2 })).toBeNull();
    log.run({ type: 'heal.rewind', healIndex: 1 });
    expect(plain({ ...log.state, now: before.now })).toBe(plain(before));
    expect(log.state.link.mode).toBe('cut');
    expect(log.state.replicas.east.posts.has(later)).toBe(false);
    expect(log.state.rewind.queued.size).toBe(1);
    // Rewinding twice is refused: the heal is gone.
    expect(log.attempt({ type: 'heal.rewind', healIndex: 1 })).toBeNull();
    log.run({ type: 'strategy.set', strategy: 'merge' });
    log.run({ type: 'link.mode', mode: 'up' });
    expect(log.state.replicas.east.posts.get(later)?.text).toBe('after the heal');
    expect(log.state.inFlight.east.messages.map((m) => m.op.opId).toArray()).toEqual([later]);
    const attempts = log.state.rewind.attempts.toArray();
    expect(attempts.map((a) => [a.index, a.strategy, a.rewound, a.replayed])).toEqual([
      [1, 'lww', true, 0],
      [2, 'merge', false, 1],
    ]);
    expect(attempts[0]?.report.lost.length).toBe(1);
    expect(attempts[1]?.report.duplicates.length).toBe(1);
    // A new split starts a new history: its heal is attempt 1 of a new list.
    log.run({ type: 'link.mode', mode: 'cut' });
    log.run({ type: 'post.create', opId: log.opId(), participantId: 'ed', parentId: null, text: 'second split' });
    log.run({ type: 'link.mode', mode: 'up' });
    expect(log.state.rewind.attempts.map((a) => a.index).toArray()).toEqual([3]);
  });
});
