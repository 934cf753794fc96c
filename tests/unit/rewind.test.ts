/**
 * RWD1: rewinding a heal and healing again with strategy S gives the state a fresh core reaches by
 * healing with S from the log prefix (then applying the writes made after the first heal, in
 * their order). Random histories: a split where both sides write the same posts, a heal, writes
 * after it (a newcomer included), one or two rewinds, each healed another way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NO_REWIND,
  PINNED_POST_ID,
  createInitialState,
  replay,
  snapshotOf,
  step,
  type Command,
  type DcId,
  type SimState,
  type Strategy,
} from '../../server/sim/index.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const FUZZ_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const PEOPLE: Record<DcId, readonly string[]> = { west: ['wendy', 'walt'], east: ['ed', 'eve'] };
const KINDS = ['edit', 'delete', 'like', 'unlike', 'reply', 'post'] as const;

interface Timed {
  at: number;
  command: Command;
}

/** A log being written: only accepted commands are kept, as the server stores them. */
class Log {
  state: SimState;
  readonly entries: Timed[] = [];
  now = 1_000_000;
  private n = 0;
  constructor(seed: number) {
    this.state = createInitialState(seed);
  }
  run(command: Command, dt = 1): boolean {
    this.now += dt;
    const r = step(this.state, command, { now: this.now });
    if (!r.ok) return false;
    this.state = r.state;
    this.entries.push({ at: this.now, command });
    return true;
  }
  must(command: Command, dt = 1): void {
    if (!this.run(command, dt)) throw new Error(`refused ${command.type}`);
  }
  opId(): string {
    this.n += 1;
    return `op-${String(this.n).padStart(6, '0')}`;
  }
}

interface Write {
  side: DcId;
  kind: (typeof KINDS)[number];
  post: number;
  who: number;
  dt: number;
}

/** A write on `side` to one of the posts West holds; the author of an edit or delete is moved there first. */
function write(log: Log, w: Write, extra: readonly string[] = []): void {
  const ids = [...log.state.replicas[w.side].posts.keys()].sort();
  const postId = ids[w.post % ids.length] ?? PINNED_POST_ID;
  const people = [...PEOPLE[w.side], ...extra];
  const author = log.state.replicas[w.side].posts.get(postId)?.author;
  const content = w.kind === 'edit' || w.kind === 'delete';
  const who = content && postId !== PINNED_POST_ID && author && log.state.participants.has(author) ? author : (people[w.who % people.length] ?? 'wendy');
  if (log.state.participants.get(who)?.home !== w.side) log.run({ type: 'participant.move', participantId: who, to: w.side });
  const opId = log.opId();
  const command: Command =
    w.kind === 'edit'
      ? { type: 'post.edit', opId, participantId: who, postId, text: `${w.side} ${opId}` }
      : w.kind === 'delete'
        ? { type: 'post.delete', opId, participantId: who, postId }
        : w.kind === 'reply' || w.kind === 'post'
          ? { type: 'post.create', opId, participantId: who, parentId: w.kind === 'reply' ? postId : null, text: `post ${opId}` }
          : { type: w.kind === 'like' ? 'post.like' : 'post.unlike', opId, participantId: who, postId };
  log.run(command, w.dt);
}

const writeArb = fc.record({
  side: fc.constantFrom<DcId>('west', 'east'),
  kind: fc.constantFrom(...KINDS),
  post: fc.nat(),
  who: fc.nat(),
  dt: fc.integer({ min: 1, max: 300 }),
});
const strategyArb = fc.constantFrom<Strategy>('lww', 'merge', 'human');

const historyArb = fc.record({
  seed: fc.integer({ min: 1, max: 10_000 }),
  latency: fc.constantFrom(0, 100),
  cut: fc.constantFrom('cut', 'cut', 'cut-west-to-east'),
  split: fc.array(writeArb, { minLength: 4, maxLength: 20 }),
  // Each round: heal with a strategy, write after it, rewind. The last strategy heals for good.
  rounds: fc.array(fc.record({ strategy: strategyArb, after: fc.array(writeArb, { maxLength: 8 }), newcomer: fc.boolean() }), { minLength: 1, maxLength: 2 }),
  last: strategyArb,
});
type History = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

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
  const log = new Log(h.seed);
  for (const id of ['wendy', 'ed', 'walt', 'eve']) log.must({ type: 'participant.join', participantId: id, name: id });
  log.must({ type: 'link.configure', latencyMs: h.latency, jitterMs: h.latency / 2 });
  for (const side of ['west', 'east'] as const) log.must({ type: 'post.create', opId: log.opId(), participantId: PEOPLE[side][0] ?? 'wendy', parentId: null, text: `hello from ${side}` });
  log.now += 60_000;
  log.must({ type: 'clock.skew', dc: 'east', skewMs: -1500 });
  log.must({ type: 'link.mode', mode: h.cut === 'cut' ? 'cut' : 'cut-west-to-east' });
  if (h.cut !== 'cut') log.must({ type: 'link.mode', mode: 'cut' }, 5);
  for (const w of h.split) write(log, w);
  const prefix = [...log.entries];
  const joins: Timed[] = [];
  const carried: Command[] = [];
  let newcomers = 0;
  let firstCarried = -1;
  for (const round of h.rounds) {
    log.must({ type: 'strategy.set', strategy: round.strategy });
    log.must({ type: 'link.mode', mode: 'up' }, 10);
    const healIndex = log.state.rewind.heals;
    const extra: string[] = [];
    if (round.newcomer) {
      newcomers += 1;
      const id = `new${newcomers}`;
      log.must({ type: 'participant.join', participantId: id, name: id });
      extra.push(id);
    }
    const start = log.entries.length;
    for (const w of round.after) write(log, w, extra);
    carried.push(...log.entries.slice(start).map((e) => e.command));
    if (firstCarried < 0) firstCarried = carried.filter((c) => c.type !== 'participant.join').length;
    log.must({ type: 'heal.rewind', healIndex }, 20);
    const at = log.now;
    if (round.newcomer) joins.push({ at, command: { type: 'participant.join', participantId: `new${newcomers}`, name: `new${newcomers}` } });
  }
  log.must({ type: 'strategy.set', strategy: h.last }, 3);
  const strategyAt = log.now;
  log.must({ type: 'link.mode', mode: 'up' }, 10);
  const healAt = log.now;
  // The fresh core: the prefix, the newcomers (kept at each rewind), the strategy, the heal, then the later writes.
  const fresh: Timed[] = [
    ...prefix,
    ...joins,
    { at: strategyAt, command: { type: 'strategy.set', strategy: h.last } },
    { at: healAt, command: { type: 'link.mode', mode: 'up' } },
    ...carried.map((command) => ({ at: healAt, command })),
  ];
  return { live: log.state, log: log.entries, fresh, carried: firstCarried };
}

describe('rewind', () => {
  it('[RWD1] rewind then heal with S equals a fresh core healing with S from the log prefix, then the later writes', () => {
    let carriedSeen = 0;
    let twoRounds = 0;
    fc.assert(
      fc.property(historyArb, (h) => {
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
      }),
      { numRuns: RUNS, ...(FUZZ_SEED === undefined ? {} : { seed: FUZZ_SEED }) },
    );
    // The generator really makes writes that a rewind carries, and histories rewound twice.
    expect(carriedSeen).toBeGreaterThan(0);
    expect(twoRounds).toBeGreaterThan(0);
  }, 60_000);

  it('[RWD1] the rewound heal comes back as held messages and a cut link; the later writes are replayed after the new heal, and its attempt says so', () => {
    const log = new Log(7);
    for (const id of ['wendy', 'ed']) log.must({ type: 'participant.join', participantId: id, name: id });
    const shared = log.opId();
    log.must({ type: 'post.create', opId: shared, participantId: 'wendy', parentId: null, text: 'original' });
    log.now += 60_000;
    log.must({ type: 'link.mode', mode: 'cut' });
    log.must({ type: 'post.edit', opId: log.opId(), participantId: 'wendy', postId: PINNED_POST_ID, text: 'west pinned' });
    log.must({ type: 'post.edit', opId: log.opId(), participantId: 'ed', postId: PINNED_POST_ID, text: 'east pinned' });
    const before = log.state;
    log.must({ type: 'link.mode', mode: 'up' });
    expect(log.state.rewind.attempts.size).toBe(1);
    const later = log.opId();
    log.must({ type: 'post.create', opId: later, participantId: 'ed', parentId: null, text: 'after the heal' });
    expect(log.run({ type: 'heal.rewind', healIndex: 2 })).toBe(false);
    log.must({ type: 'heal.rewind', healIndex: 1 });
    expect(plain({ ...log.state, now: before.now })).toBe(plain(before));
    expect(log.state.link.mode).toBe('cut');
    expect(log.state.replicas.east.posts.has(later)).toBe(false);
    expect(log.state.rewind.queued.size).toBe(1);
    // Rewinding twice is refused: the heal is gone.
    expect(log.run({ type: 'heal.rewind', healIndex: 1 })).toBe(false);
    log.must({ type: 'strategy.set', strategy: 'merge' });
    log.must({ type: 'link.mode', mode: 'up' });
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
    log.must({ type: 'link.mode', mode: 'cut' });
    log.must({ type: 'post.create', opId: log.opId(), participantId: 'ed', parentId: null, text: 'second split' });
    log.must({ type: 'link.mode', mode: 'up' });
    expect(log.state.rewind.attempts.map((a) => a.index).toArray()).toEqual([3]);
  });
});
