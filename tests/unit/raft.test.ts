import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLUSTER_NODES,
  CLUSTER_NODE_DC,
  CUTS,
  committedLog,
  createNaive,
  createRaft,
  grantsVote,
  leaders,
  logUpToDate,
  messagesInFlight,
  naiveStep,
  nextEventAt,
  otherProtocols,
  partitionView,
  primaries,
  raftNodeViews,
  raftStep,
  timeoutProgress,
  type ClusterInput,
  type ClusterNodeId,
  type Cut,
  type NaiveState,
  type RaftConfig,
  type RaftEvent,
  type RaftState,
} from '../../server/sim/raft/index.ts';
import { fuzz, fuzzRuns, fuzzTimeout } from '../support/fuzz.ts';

const RUNS = fuzzRuns(40);
/** Room for `npm run fuzz` (1,000 runs); the quick run takes well under a second per property. */
const FUZZ_TIMEOUT_MS = fuzzTimeout(RUNS);

/** Drives one Raft cluster (and optionally naive failover beside it) through inputs "right now". */
class Cluster {
  state: RaftState;
  naive: NaiveState;
  readonly events: RaftEvent[] = [];

  constructor(seed: number, config: Partial<RaftConfig> = {}) {
    this.state = createRaft(seed, 0, config);
    this.naive = createNaive(0);
  }

  run(input: ClusterInput): RaftEvent[] {
    const r = raftStep(this.state, input, { now: this.state.now });
    this.state = r.state;
    this.naive = naiveStep(this.naive, input, { now: this.naive.now }).state;
    this.events.push(...r.events);
    return [...r.events];
  }

  wait(ms: number): RaftEvent[] {
    return this.run({ type: 'advance', to: this.state.now + ms });
  }

  /** Runs until some live node leads, then a little longer so every follower has heard it. */
  settle(): ClusterNodeId {
    for (let i = 0; i < 200 && leaders(this.state).length === 0; i += 1) this.wait(50);
    this.wait(200);
    const [leader, ...others] = leaders(this.state);
    expect(others).toEqual([]);
    if (!leader) throw new Error('no leader');
    return leader;
  }
}

const west = (id: ClusterNodeId): boolean => CLUSTER_NODE_DC[id] === 'west';

/** The first `count` seeds whose first leader sits in West, so a split leaves the majority leaderless. */
function westLeaderSeeds(count: number): number[] {
  const seeds: number[] = [];
  for (let seed = 1; seeds.length < count; seed += 1) if (west(new Cluster(seed).settle())) seeds.push(seed);
  return seeds;
}

/** A stable leader for `group`: one live leader there, and every live member in its term following it. */
function stableLeader(state: RaftState, group: readonly ClusterNodeId[]): ClusterNodeId | null {
  const live = group.filter((id) => !state.nodes[id].crashed);
  const inGroup = leaders(state).filter((id) => live.includes(id));
  const [leader] = inGroup;
  if (inGroup.length !== 1 || !leader) return null;
  const term = state.nodes[leader].term;
  return live.every((id) => state.nodes[id].term === term && state.nodes[id].leaderId === leader) ? leader : null;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe('[RAFT1] one leader per term', () => {
  it('[RAFT1] from a cold start the cluster elects exactly one leader, and every node follows it', () => {
    for (let seed = 1; seed <= 20; seed += 1) {
      const c = new Cluster(seed);
      const leader = c.settle();
      expect(stableLeader(c.state, CLUSTER_NODES)).toBe(leader);
      const terms = c.events.filter((e) => e.type === 'elected').map((e) => e.term);
      expect(new Set(terms).size).toBe(terms.length);
    }
  });
});

describe('[RAFT2] the split: majority elects, minority cannot', () => {
  it('[RAFT2] on [A,B] | [C,D,E] East elects a leader in a higher term; West never does, and its old leader cannot commit', () => {
    for (const seed of westLeaderSeeds(10)) {
      const c = new Cluster(seed);
      const old = c.settle();
      const oldTerm = c.state.nodes[old].term;
      c.run({ type: 'setCut', cut: 'full' });
      c.run({ type: 'clientWrite', value: 'lost', node: old });
      const after = c.wait(5000);
      const elected = after.filter((e) => e.type === 'elected');
      expect(elected.length).toBeGreaterThan(0);
      for (const e of elected) expect(CLUSTER_NODE_DC[e.node]).toBe('east');
      const eastLeader = stableLeader(c.state, ['C', 'D', 'E']);
      expect(eastLeader).not.toBeNull();
      if (eastLeader) expect(c.state.nodes[eastLeader].term).toBeGreaterThan(oldTerm);
      // The old leader still believes it leads (stale), but its write reached only West.
      expect(leaders(c.state)).toContain(old);
      expect(c.state.nodes[old].log.last()?.value).toBe('lost');
      for (const id of CLUSTER_NODES) expect(committedLog(c.state, id).map((e) => e.value)).not.toContain('lost');
    }
  });

  it('[RAFT2] a write to the East leader during the split commits on East alone (3 of 5)', () => {
    const [seed = 1] = westLeaderSeeds(1);
    const c = new Cluster(seed);
    c.settle();
    c.run({ type: 'setCut', cut: 'full' });
    c.wait(5000);
    const eastLeader = stableLeader(c.state, ['C', 'D', 'E']);
    if (!eastLeader) throw new Error('no East leader');
    c.run({ type: 'clientWrite', value: 'kept', node: eastLeader });
    c.wait(500);
    for (const id of ['C', 'D', 'E'] as const) expect(committedLog(c.state, id).map((e) => e.value)).toContain('kept');
  });
});

describe('[RAFT3] heal', () => {
  it('[RAFT3] on heal the stale West leader sees the higher term, steps down, and its uncommitted write is discarded', () => {
    for (const seed of westLeaderSeeds(10)) {
      const c = new Cluster(seed);
      const old = c.settle();
      c.run({ type: 'setCut', cut: 'full' });
      c.run({ type: 'clientWrite', value: 'lost', node: old });
      c.wait(5000);
      const eastLeader = stableLeader(c.state, ['C', 'D', 'E']);
      if (!eastLeader) throw new Error('no East leader');
      const newTerm = c.state.nodes[eastLeader].term;
      c.run({ type: 'setCut', cut: 'none' });
      const healed = c.wait(3000);
      const down = healed.find((e): e is Extract<RaftEvent, { type: 'steppedDown' }> => e.type === 'steppedDown' && e.node === old);
      expect(down?.was).toBe('leader');
      expect(down?.term).toBeGreaterThanOrEqual(newTerm);
      expect(healed.some((e) => e.type === 'discarded' && e.entries.some((entry) => entry.value === 'lost'))).toBe(true);
      const leader = stableLeader(c.state, CLUSTER_NODES);
      expect(leader).not.toBeNull();
      expect(leaders(c.state)).toEqual([leader]);
      for (const id of CLUSTER_NODES) expect(c.state.nodes[id].log.map((e) => e.value)).not.toContain('lost');
    }
  });
});

describe('[RAFT4] voting', () => {
  const voter = { term: 3, votedFor: null, last: { term: 2, index: 5 } } as const;

  it('[RAFT4] a vote needs the current term, no other vote in it, and a log at least as up to date', () => {
    expect(grantsVote(voter, { term: 3, candidate: 'C', last: { term: 2, index: 5 } }, [])).toBe(true);
    expect(grantsVote(voter, { term: 3, candidate: 'C', last: { term: 3, index: 1 } }, [])).toBe(true);
    expect(grantsVote(voter, { term: 3, candidate: 'C', last: { term: 2, index: 4 } }, [])).toBe(false);
    expect(grantsVote(voter, { term: 3, candidate: 'C', last: { term: 1, index: 9 } }, [])).toBe(false);
    expect(grantsVote(voter, { term: 2, candidate: 'C', last: { term: 2, index: 5 } }, [])).toBe(false);
    expect(grantsVote({ ...voter, votedFor: 'D' }, { term: 3, candidate: 'C', last: { term: 2, index: 5 } }, [])).toBe(false);
    expect(grantsVote({ ...voter, votedFor: 'C' }, { term: 3, candidate: 'C', last: { term: 2, index: 5 } }, [])).toBe(true);
    expect(logUpToDate({ term: 0, index: 0 }, { term: 0, index: 0 })).toBe(true);
  });

  it('[RAFT4] in the engine: a lower-term request is refused with the higher term, which the stale candidate adopts', () => {
    const c = new Cluster(1);
    c.settle();
    const base = c.state;
    const term = base.nodes.C.term;
    // Put a stale RequestVote from D on the wire by hand: the network is data.
    const stale = { seq: base.nextSeq, from: 'D' as const, to: 'C' as const, sentAt: base.now, deliverAt: base.now + 1, rpc: { kind: 'requestVote' as const, term: term - 1, lastLogIndex: 99, lastLogTerm: term } };
    c.state = { ...base, nextSeq: base.nextSeq + 1, inFlight: [...base.inFlight, stale] };
    const events = c.wait(1);
    expect(events.some((e) => e.type === 'voted' && e.node === 'C')).toBe(false);
    const reply = c.state.inFlight.find((m) => m.from === 'C' && m.to === 'D' && m.rpc.kind === 'vote');
    expect(reply?.rpc).toEqual({ kind: 'vote', term, granted: false });
  });
});

describe('[RAFT3] a stale leader learns the higher term from a reply', () => {
  it('[RAFT3] a leader that gets an append reply carrying a higher term steps down to follower in that term', () => {
    const c = new Cluster(1);
    const leader = c.settle();
    const base = c.state;
    const term = base.nodes[leader].term;
    const follower = CLUSTER_NODES.find((n) => n !== leader) ?? 'A';
    // The reply a node that has moved on (elected elsewhere during a split) sends to the old leader's heartbeat.
    const reply = { seq: base.nextSeq, from: follower, to: leader, sentAt: base.now, deliverAt: base.now + 1, rpc: { kind: 'appended' as const, term: term + 1, success: false, matchIndex: 0 } };
    c.state = { ...base, nextSeq: base.nextSeq + 1, inFlight: [...base.inFlight, reply] };
    const events = c.wait(1);
    expect(events).toContainEqual({ type: 'steppedDown', at: base.now + 1, node: leader, term: term + 1, was: 'leader' });
    expect(c.state.nodes[leader]).toMatchObject({ role: 'follower', term: term + 1 });
    expect(leaders(c.state)).not.toContain(leader);
  });
});

describe('[RAFT5] naive failover', () => {
  it('[RAFT5] a full split gives two primaries, both accepting writes, while Raft commits on one side only', () => {
    const [seed = 1] = westLeaderSeeds(1);
    const c = new Cluster(seed);
    const old = c.settle();
    expect(primaries(c.naive)).toEqual(['A']);
    c.run({ type: 'setCut', cut: 'full' });
    c.wait(2000);
    expect(primaries(c.naive)).toEqual(['A', 'C']);
    const accepted = (n: NaiveState, id: ClusterNodeId, value: string): boolean =>
      naiveStep(n, { type: 'clientWrite', value, node: id }, { now: n.now }).events.some((e) => e.type === 'writeAccepted');
    expect(accepted(c.naive, 'A', 'west write')).toBe(true);
    expect(accepted(c.naive, 'C', 'east write')).toBe(true);
    // Raft on the same schedule: West's leader accepts but cannot commit; East commits.
    const eastLeader = stableLeader(c.state, ['C', 'D', 'E']);
    if (!eastLeader) throw new Error('no East leader');
    c.run({ type: 'clientWrite', value: 'west write', node: old });
    c.run({ type: 'clientWrite', value: 'east write', node: eastLeader });
    c.wait(1000);
    const committed = CLUSTER_NODES.flatMap((id) => committedLog(c.state, id).map((e) => e.value));
    expect(committed).toContain('east write');
    expect(committed).not.toContain('west write');
    // Healing does not help naive failover: nothing tells either primary to stand down.
    c.run({ type: 'setCut', cut: 'none' });
    c.wait(2000);
    expect(primaries(c.naive)).toEqual(['A', 'C']);
    expect(leaders(c.state)).toHaveLength(1);
  });

  it('[RAFT5] a one-way cut promotes only the side that stops hearing the primary', () => {
    const step = (n: NaiveState, input: ClusterInput): NaiveState => naiveStep(n, input, { now: n.now }).state;
    const cutThenWait = (cut: Cut): NaiveState => step(step(createNaive(0), { type: 'setCut', cut }), { type: 'advance', to: 1000 });
    expect(primaries(cutThenWait('west-to-east'))).toEqual(['A', 'C']);
    expect(primaries(cutThenWait('east-to-west'))).toEqual(['A']);
    expect(primaries(cutThenWait('none'))).toEqual(['A']);
  });

  it('[RAFT5] a crashed primary is replaced, and comes back still believing it is primary', () => {
    let n = createNaive(0);
    const run = (input: ClusterInput): void => {
      n = naiveStep(n, input, { now: n.now }).state;
    };
    run({ type: 'crash', node: 'A' });
    run({ type: 'advance', to: 299 });
    expect(primaries(n)).toEqual([]);
    run({ type: 'advance', to: 300 });
    expect(primaries(n)).toEqual(['B']);
    run({ type: 'restart', node: 'A' });
    expect(primaries(n)).toEqual(['A', 'B']);
  });
});

describe('board helpers', () => {
  it('report timeout progress, messages in flight (and whether the cut drops them), and the next event', () => {
    const c = new Cluster(3);
    expect(timeoutProgress(c.state, 'A')).toBe(0);
    const first = nextEventAt(c.state);
    expect(first).not.toBeNull();
    c.run({ type: 'next' });
    expect(c.state.now).toBe(first);
    c.settle();
    const [leader] = leaders(c.state);
    if (!leader) throw new Error('no leader');
    expect(timeoutProgress(c.state, leader)).toBeNull();
    for (const id of CLUSTER_NODES.filter((x) => x !== leader)) expect(timeoutProgress(c.state, id)).toBeGreaterThanOrEqual(0);
    const view = raftNodeViews(c.state).find((v) => v.id === leader);
    expect(view).toMatchObject({ role: 'leader', leaderId: leader, timeoutProgress: null, dc: CLUSTER_NODE_DC[leader] });
    c.run({ type: 'crash', node: leader });
    expect(raftNodeViews(c.state).find((v) => v.id === leader)?.role).toBe('crashed');
    c.run({ type: 'restart', node: leader });
    c.run({ type: 'setCut', cut: 'full' });
    const views = messagesInFlight(c.state);
    for (const v of views) {
      expect(v.progress).toBeGreaterThanOrEqual(0);
      expect(v.progress).toBeLessThanOrEqual(1);
      expect(v.blocked).toBe(CLUSTER_NODE_DC[v.message.from] !== CLUSTER_NODE_DC[v.message.to]);
    }
  });
});

describe('same partition, other protocols', () => {
  const verdicts = (cut: Cut, crashed: ClusterNodeId[]): Record<string, string> =>
    Object.fromEntries(otherProtocols(partitionView(cut, crashed)).map((l) => [l.protocol, l.verdict]));

  it('on the [A,B] | [C,D,E] split: 2PC blocks, 3PC may disagree, Raft runs on East only, PBFT stalls, AP diverges', () => {
    expect(verdicts('full', [])).toEqual({ '2PC': 'blocks', '3PC': 'may-disagree', 'Paxos/Raft': 'majority-only', PBFT: 'stalls', 'Dynamo-style AP': 'diverges' });
    const lines = otherProtocols(partitionView('full', [])).map((l) => l.line);
    expect(lines.join('\n')).toMatch(/cannot hear from C, D, E/);
    expect(lines.join('\n')).toMatch(/East \(3 of 5\) has a majority and proceeds; West \(2 of 5\) stalls/);
    expect(lines.join('\n')).toMatch(/f = 1 .*quorums of 4/);
  });

  it('is computed from the counts: crashes and cuts change the lines', () => {
    expect(verdicts('none', [])).toEqual({ '2PC': 'proceeds', '3PC': 'proceeds', 'Paxos/Raft': 'proceeds', PBFT: 'proceeds', 'Dynamo-style AP': 'proceeds' });
    expect(verdicts('none', ['D'])).toMatchObject({ '2PC': 'blocks', 'Paxos/Raft': 'proceeds', PBFT: 'proceeds' });
    expect(verdicts('none', ['D', 'E'])).toMatchObject({ 'Paxos/Raft': 'proceeds', PBFT: 'stalls' });
    expect(verdicts('full', ['C'])).toMatchObject({ 'Paxos/Raft': 'stalls' });
    expect(verdicts('west-to-east', ['A'])['2PC']).toBe('blocks');
    expect(otherProtocols(partitionView('none', ['A']))[0]?.line).toMatch(/coordinator A is down/);
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzz: random schedules of cuts, heals, crashes, restarts, writes, latencies and seeds.

type Action = { readonly kind: 'input'; readonly input: ClusterInput } | { readonly kind: 'writeToLeaders'; readonly count: number };
interface Schedule {
  readonly seed: number;
  readonly latencyMinMs: number;
  readonly latencySpreadMs: number;
  readonly steps: readonly { readonly waitMs: number; readonly action: Action }[];
  readonly finalCut: 'none' | 'full';
  readonly finalDown: readonly ClusterNodeId[];
}

const nodeArb = fc.constantFrom(...CLUSTER_NODES);
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CUTS).map((cut): Action => ({ kind: 'input', input: { type: 'setCut', cut } })) },
  { weight: 2, arbitrary: nodeArb.map((node): Action => ({ kind: 'input', input: { type: 'crash', node } })) },
  { weight: 2, arbitrary: nodeArb.map((node): Action => ({ kind: 'input', input: { type: 'restart', node } })) },
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 3 }).map((count): Action => ({ kind: 'writeToLeaders', count })) },
);
const scheduleArb: fc.Arbitrary<Schedule> = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  // Round trips stay below the shortest election timeout (2 x 70 < 150), as Raft assumes.
  latencyMinMs: fc.integer({ min: 1, max: 40 }),
  latencySpreadMs: fc.integer({ min: 0, max: 30 }),
  steps: fc.array(fc.record({ waitMs: fc.integer({ min: 0, max: 1500 }), action: actionArb }), { maxLength: 25 }),
  finalCut: fc.constantFrom('none' as const, 'full' as const),
  finalDown: fc.subarray([...CLUSTER_NODES], { maxLength: 2 }),
});

/** Liveness bound: a connected majority has a stable leader within this many election timeouts. */
const ELECTION_TIMEOUTS_BOUND = 40;

/** A plain assertion for the hot path: `expect` per event and per log entry would dominate the fuzz run. */
function check(ok: boolean, message: () => string): void {
  if (!ok) throw new Error(message());
}

/** Every safety rule, checked on each step's events (in order) and on the state after it. */
class Invariants {
  private readonly electedIn = new Map<number, ClusterNodeId>();
  private readonly votes = new Map<string, ClusterNodeId>();
  private readonly committed = new Map<number, string>();
  private readonly candidacies = new Map<string, number>();
  private readonly minorityWrites: { value: string; term: number; epoch: number }[] = [];
  private readonly doomed = new Set<string>();
  private cut: Cut = 'none';
  private epoch = 0;

  observe(events: readonly RaftEvent[], state: RaftState): void {
    for (const e of events) {
      if (e.type === 'elected') {
        // [RAFT1] at most one leader per term.
        const before = this.electedIn.get(e.term);
        check(before === undefined || before === e.node, () => `[RAFT1] two leaders in term ${e.term}: ${before} and ${e.node}`);
        this.electedIn.set(e.term, e.node);
        // [RAFT2] an election run entirely under a cut is won only with votes from the winner's own side: East's 3.
        if (this.candidacies.get(`${e.node}@${e.term}`) === this.epoch && this.cut !== 'none') {
          const sides = new Set([e.node, ...e.voters].map((id) => CLUSTER_NODE_DC[id]));
          check(sides.size === 1 && sides.has('east'), () => `[RAFT2] ${e.node} elected in term ${e.term} under a '${this.cut}' cut by ${e.voters.join(', ')}`);
        }
      } else if (e.type === 'voted') {
        // [RAFT4] once per term, never for a lower term, only for an up-to-date log.
        const key = `${e.node}@${e.voterTerm}`;
        const prior = this.votes.get(key);
        check(prior === undefined || prior === e.candidate, () => `[RAFT4] ${e.node} voted for ${prior} and ${e.candidate} in term ${e.voterTerm}`);
        this.votes.set(key, e.candidate);
        check(e.term === e.voterTerm, () => `[RAFT4] ${e.node} in term ${e.voterTerm} voted for term ${e.term}`);
        check(logUpToDate(e.candidateLast, e.voterLast), () => `[RAFT4] ${e.node} voted for ${e.candidate} whose log is behind`);
      } else if (e.type === 'timedOut') {
        this.candidacies.set(`${e.node}@${e.term}`, this.epoch);
      } else if (e.type === 'cutSet') {
        if (this.cut === 'full') this.judgeMinorityWrites(state);
        this.cut = e.cut;
        this.epoch += 1;
      } else if (e.type === 'writeAccepted' && this.cut === 'full' && west(e.node)) {
        this.minorityWrites.push({ value: e.value, term: e.term, epoch: this.epoch });
      }
    }
    for (const id of CLUSTER_NODES) {
      const n = state.nodes[id];
      check(n.commitIndex <= n.log.size, () => `${id} commits past its log`);
      // State machine safety: no two nodes, at any time, commit different entries at one index.
      n.log.slice(0, n.commitIndex).forEach((entry, i) => {
        const key = `${entry.term}:${entry.value}`;
        const seen = this.committed.get(i + 1);
        check(seen === undefined || seen === key, () => `index ${i + 1} committed as ${seen} and ${key}`);
        this.committed.set(i + 1, key);
        // A write to a minority-side leader never commits while the cut lasts, nor after East moved on.
        check(entry.value === null || !this.doomed.has(entry.value), () => `minority write ${entry.value} committed after the heal`);
        check(
          this.cut !== 'full' || !this.minorityWrites.some((w) => w.epoch === this.epoch && w.value === entry.value),
          () => `minority write ${entry.value} committed during the split`,
        );
      });
    }
  }

  /** At a heal: if East committed an entry of a newer term, the West write can never commit (log terms only grow). */
  private judgeMinorityWrites(state: RaftState): void {
    for (const w of this.minorityWrites.filter((x) => x.epoch === this.epoch)) {
      if ((['C', 'D', 'E'] as const).some((id) => committedLog(state, id).some((entry) => entry.term > w.term))) this.doomed.add(w.value);
    }
  }

  get doomedWrites(): readonly string[] {
    return [...this.doomed];
  }
}

/**
 * Waits for a leader that `group` has agreed on for a whole election timeout: a snapshot right
 * after a heal can show everyone still following an old leader whose followers' timers are about
 * to fire. Null when none holds within the liveness bound.
 */
function awaitStableLeader(c: Cluster, group: readonly ClusterNodeId[], run: (input: ClusterInput) => void): { leader: ClusterNodeId; at: number } | null {
  const hold = c.state.config.electionTimeoutMaxMs;
  const deadline = c.state.now + ELECTION_TIMEOUTS_BOUND * hold;
  let since: { leader: ClusterNodeId; at: number } | null = null;
  for (;;) {
    const current = stableLeader(c.state, group);
    if (current === null) since = null;
    else if (since === null || since.leader !== current) since = { leader: current, at: c.state.now };
    if (since !== null && c.state.now - since.at >= hold) return since;
    if (c.state.now >= deadline) return null;
    run({ type: 'advance', to: c.state.now + 50 });
  }
}

function runSchedule(schedule: Schedule): void {
  const config = { latencyMinMs: schedule.latencyMinMs, latencyMaxMs: schedule.latencyMinMs + schedule.latencySpreadMs };
  const c = new Cluster(schedule.seed, config);
  const checks = new Invariants();
  const run = (input: ClusterInput): void => checks.observe(c.run(input), c.state);
  let writes = 0;
  for (const { waitMs, action } of schedule.steps) {
    run({ type: 'advance', to: c.state.now + waitMs });
    if (action.kind === 'input') run(action.input);
    // Writing to every node that thinks it leads exercises the stale leader on the minority side;
    // several writes make its doomed suffix longer than the new leader's log.
    else for (const node of leaders(c.state)) for (let i = 0; i < action.count; i += 1) run({ type: 'clientWrite', value: `w${(writes += 1)}`, node });
  }
  // Final phase: a connected majority (everyone, or East on a split) must get a stable leader.
  const down = schedule.finalCut === 'full' ? schedule.finalDown.filter(west) : schedule.finalDown;
  for (const node of CLUSTER_NODES) run({ type: down.includes(node) ? 'crash' : 'restart', node });
  run({ type: 'setCut', cut: schedule.finalCut });
  const group = schedule.finalCut === 'full' ? (['C', 'D', 'E'] as const) : CLUSTER_NODES;
  const found = awaitStableLeader(c, group, run);
  expect(found, `no stable leader within ${ELECTION_TIMEOUTS_BOUND} election timeouts`).not.toBeNull();
  const leader = found?.leader;
  if (schedule.finalCut === 'none' && leader !== undefined) {
    // Healed and settled: every live log equals the leader's, and the minority's doomed writes are gone.
    run({ type: 'advance', to: c.state.now + 1000 });
    const live = CLUSTER_NODES.filter((id) => !c.state.nodes[id].crashed);
    expect(stableLeader(c.state, live)).toBe(leader);
    for (const id of live) {
      expect(c.state.nodes[id].log).toEqual(c.state.nodes[leader].log);
      expect(c.state.nodes[id].commitIndex).toBe(c.state.nodes[leader].log.size);
    }
    for (const value of checks.doomedWrites) expect(c.state.nodes[leader].log.map((e) => e.value)).not.toContain(value);
  }
}

/** Schedules that once broke a rule, replayed on every run (fast-check's own replay strings go in `examples`). */
const REGRESSIONS: Schedule[] = [];

describe('[RAFT1][RAFT2][RAFT3][RAFT4] fuzz over random schedules', () => {
  it('[RAFT1][RAFT2][RAFT3][RAFT4] fuzz: one leader per term, majority-only elections and commits, votes by the rule, a leader within the bound, one log after the heal', () => {
    fuzz(scheduleArb, runSchedule, { runs: RUNS, examples: REGRESSIONS });
  }, FUZZ_TIMEOUT_MS);

  it('[RAFT1] fuzz: determinism: the same seed and inputs give deep-equal states and events; inputs are never mutated', () => {
    const inputArb: fc.Arbitrary<ClusterInput> = fc.oneof(
      fc.integer({ min: 0, max: 800 }).map((ms): ClusterInput => ({ type: 'advance', to: ms })),
      fc.constant<ClusterInput>({ type: 'next' }),
      fc.constantFrom(...CUTS).map((cut): ClusterInput => ({ type: 'setCut', cut })),
      nodeArb.map((node): ClusterInput => ({ type: 'crash', node })),
      nodeArb.map((node): ClusterInput => ({ type: 'restart', node })),
      fc.option(nodeArb, { nil: undefined }).map((node): ClusterInput => ({ type: 'clientWrite', value: 'v', node })),
    );
    fuzz(
      fc.record({ seed: fc.integer(), inputs: fc.array(inputArb, { maxLength: 40 }) }),
      ({ seed, inputs }) => {
        const play = (): { raft: RaftState; naive: NaiveState; events: unknown[] } => {
          let raft = deepFreeze(createRaft(seed, 0));
          let naive = deepFreeze(createNaive(0));
          const events: unknown[] = [];
          let t = 0;
          for (const input of inputs) {
            // Advances are relative, so time moves forward; the frozen inputs prove nothing is mutated.
            const frozen = deepFreeze(input.type === 'advance' ? { ...input, to: (t += input.to) } : input);
            const r = raftStep(raft, frozen, { now: raft.now });
            raft = deepFreeze(r.state);
            events.push(...r.events);
            naive = deepFreeze(naiveStep(naive, frozen, { now: naive.now }).state);
          }
          return { raft, naive, events };
        };
        expect(play()).toEqual(play());
      },
      { runs: RUNS },
    );
  }, FUZZ_TIMEOUT_MS);

  it('[RAFT1] fuzz: advancing in one jump or in many small steps reaches the same state', () => {
    fuzz(
      fc.record({ seed: fc.integer(), chunks: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 20 }) }),
      ({ seed, chunks }) => {
        const total = chunks.reduce((a, b) => a + b, 0);
        const once = raftStep(createRaft(seed, 0), { type: 'advance', to: total }, { now: 0 }).state;
        let stepped = createRaft(seed, 0);
        for (const ms of chunks) stepped = raftStep(stepped, { type: 'advance', to: stepped.now + ms }, { now: stepped.now }).state;
        expect(stepped).toEqual(once);
      },
      { runs: RUNS },
    );
  }, FUZZ_TIMEOUT_MS);
});
