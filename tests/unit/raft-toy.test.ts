import { describe, expect, it } from 'vitest';
import {
  CLUSTER_NODES,
  TOY_FAULTS,
  TOY_FAULT_IDS,
  createRaft,
  leaders,
  raftStep,
  toyDiagnosis,
  withToyRule,
  type ClusterInput,
  type ClusterNodeId,
  type RaftConfig,
  type RaftEvent,
  type RaftNode,
  type RaftState,
  type ToyFaultId,
} from '../../server/sim/raft/index.ts';

/** One cluster under a chosen rule: `[]` is Raft, a fault list is the toy with those faults. */
class Cluster {
  state: RaftState;
  readonly events: RaftEvent[] = [];

  constructor(seed: number, faults: readonly ToyFaultId[], config: Partial<RaftConfig> = {}) {
    this.state = createRaft(seed, 0, { ...config, toyFaults: faults });
  }

  run(input: ClusterInput): void {
    const r = raftStep(this.state, input, { now: this.state.now });
    this.state = r.state;
    this.events.push(...r.events);
  }

  wait(ms: number): void {
    this.run({ type: 'advance', to: this.state.now + ms });
  }

  elected(): Extract<RaftEvent, { type: 'elected' }>[] {
    return this.events.filter((e) => e.type === 'elected');
  }
}

function twoLeadersInOneTerm(c: Cluster): boolean {
  const byTerm = new Map<number, Set<ClusterNodeId>>();
  for (const e of c.elected()) byTerm.set(e.term, (byTerm.get(e.term) ?? new Set()).add(e.node));
  return [...byTerm.values()].some((nodes) => nodes.size > 1);
}

describe('the toy election panel', () => {
  it('names each fault once, in one sentence of our own', () => {
    expect(TOY_FAULTS.map((f) => f.id)).toEqual([...TOY_FAULT_IDS]);
    for (const f of TOY_FAULTS) expect(f.description).toMatch(/^[A-Z][^.]*\.$/);
  });

  it('switches a running cluster to the toy rule and back, as plain data', () => {
    const raft = createRaft(4, 0);
    expect(withToyRule(raft)).toEqual(createRaft(4, 0, { toyFaults: TOY_FAULT_IDS }));
    expect(withToyRule(withToyRule(raft), [])).toEqual(raft);
  });

  it('diagnoses a live split: the toy rule spoils outcomes the real rule never does', () => {
    let s = raftStep(createRaft(1, 0), { type: 'advance', to: 1500 }, { now: 0 }).state;
    s = raftStep(s, { type: 'setCut', cut: 'full' }, { now: s.now }).state;
    const findings = toyDiagnosis(s, { futures: 6 });
    expect(findings.map((f) => f.fault.id)).toEqual([...TOY_FAULT_IDS]);
    for (const f of findings.filter((x) => x.fault.id !== 'sync-give-up')) expect(f.realCount).toBe(0);
    const doubleLeaders = findings.find((f) => f.fault.id === 'no-vote-memory');
    expect(doubleLeaders?.toyCount).toBeGreaterThan(0);
    expect(doubleLeaders?.summary).toMatch(/Two leaders in one term in \d+ of 6 simulated futures/);
    expect(toyDiagnosis(s, { futures: 1 })).toEqual(toyDiagnosis(s, { futures: 1 }));
  });
});

describe('[RAFT1][RAFT4] each toy fault changes an outcome', () => {
  it('[RAFT1] no-vote-memory: two leaders in one term from a cold start, where Raft elects one', () => {
    const seeds = Array.from({ length: 30 }, (_, i) => i + 1);
    const broken = seeds.filter((seed) => {
      const c = new Cluster(seed, ['no-vote-memory']);
      c.wait(3000);
      return twoLeadersInOneTerm(c);
    });
    expect(broken.length).toBeGreaterThan(0);
    for (const seed of broken) {
      const real = new Cluster(seed, []);
      real.wait(3000);
      expect(twoLeadersInOneTerm(real)).toBe(false);
    }
  });

  it('[RAFT4] no-log-check: a candidate missing a committed write wins and overwrites it, where Raft keeps it', () => {
    /** A commits-then-crashes story: only W2 keeps the committed write x; X and Y missed it. */
    const story = (seed: number, faults: readonly ToyFaultId[]): { leader: ClusterNodeId | undefined; kept: boolean } => {
      const c = new Cluster(seed, faults);
      c.wait(1500);
      const [leader] = leaders(c.state);
      const [w1, w2, x, y] = CLUSTER_NODES.filter((id) => id !== leader);
      if (!leader || !w1 || !w2 || !x || !y) throw new Error('no leader to start from');
      c.run({ type: 'crash', node: x });
      c.run({ type: 'crash', node: y });
      c.run({ type: 'clientWrite', value: 'x', node: leader });
      c.wait(300);
      expect(c.state.nodes[w2].log.slice(0, c.state.nodes[w2].commitIndex).map((e) => e.value)).toContain('x');
      for (const node of [leader, w1, w2]) c.run({ type: 'crash', node });
      c.wait(100); // let the crashed leader's last messages land or drop
      c.run({ type: 'restart', node: x });
      c.run({ type: 'restart', node: y });
      c.wait(1000);
      c.run({ type: 'restart', node: w2 });
      c.wait(3000);
      const [now] = leaders(c.state);
      return { leader: now, kept: now !== undefined && c.state.nodes[now].log.some((e) => e.value === 'x') };
    };
    const seeds = Array.from({ length: 10 }, (_, i) => i + 1);
    for (const seed of seeds) expect(story(seed, [])).toMatchObject({ kept: true });
    expect(seeds.filter((seed) => !story(seed, ['no-log-check']).kept).length).toBeGreaterThan(0);
  });

  it('[RAFT4] no-term-check: a node back from a crash with an old term wins an election the cluster had moved past', () => {
    // A reachable situation, written down as data: A, B and C are in term 5 and have not voted in
    // it (a candidate with a short log raised their term and was refused); D was down through all
    // of that, so it is still in term 3, with a complete log, and its timer is about to fire; E is down.
    const start = (faults: readonly ToyFaultId[]): Cluster => {
      const c = new Cluster(2, faults);
      c.wait(1500);
      const now = c.state.now;
      const idle = (n: RaftNode, term: number, deadline: number): RaftNode => ({
        ...n,
        role: 'follower',
        term,
        votedFor: null,
        leaderId: null,
        votesGranted: [],
        rpcDue: null,
        giveUpAt: null,
        electionDeadline: deadline,
      });
      const { A, B, C, D, E } = c.state.nodes;
      c.state = {
        ...c.state,
        inFlight: [],
        nodes: { A: idle(A, 5, now + 290), B: idle(B, 5, now + 290), C: idle(C, 5, now + 290), D: idle(D, 3, now + 1), E: { ...idle(E, 3, now), crashed: true, electionDeadline: null } },
      };
      c.events.length = 0;
      c.wait(150);
      return c;
    };
    const toy = start(['no-term-check']);
    expect(toy.elected()).toMatchObject([{ node: 'D', term: 4 }]);
    expect(toy.events.some((e) => e.type === 'voted' && e.node !== 'D' && e.term === 4 && e.voterTerm === 5)).toBe(true);
    const real = start([]);
    expect(real.elected()).toEqual([]);
    expect(real.state.nodes.D.term).toBe(5);
  });

  it('sync-give-up: on a slow link (answers take longer than the toy waits) the toy never elects; Raft does', () => {
    const slow = { latencyMinMs: 50, latencyMaxMs: 90 };
    for (let seed = 1; seed <= 10; seed += 1) {
      const real = new Cluster(seed, [], slow);
      real.wait(5000);
      expect(real.elected().length).toBeGreaterThan(0);
      const toy = new Cluster(seed, ['sync-give-up'], slow);
      toy.wait(5000);
      expect(toy.elected()).toEqual([]);
      expect(toy.events.some((e) => e.type === 'gaveUp')).toBe(true);
    }
  });
});
