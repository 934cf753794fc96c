/**
 * The lecture's toy election, diagnosed. Each fault switches off one Raft check (see vote.ts and
 * the 'sync-give-up' branch in raft.ts), so the panel can show, on the cluster's real situation,
 * what the toy would do differently: the engine is the same, only the rule changes.
 */
import type { ClusterNodeId } from './cluster.ts';
import { raftStep, type RaftEvent, type RaftState } from './raft.ts';
import { TOY_FAULT_IDS, type ToyFaultId } from './vote.ts';

export { TOY_FAULT_IDS, type ToyFaultId } from './vote.ts';

/** One bullet of the panel: what the toy gets wrong, in our own words. */
export interface ToyFault {
  readonly id: ToyFaultId;
  readonly title: string;
  readonly description: string;
}

/** The faults the panel names, one sentence each; tests show each one changes an outcome. */
export const TOY_FAULTS: readonly ToyFault[] = [
  {
    id: 'no-term-check',
    title: 'Votes for old terms',
    description: 'It grants a vote whatever term the request carries, so a candidate the cluster has already moved past can still collect votes and win.',
  },
  {
    id: 'no-vote-memory',
    title: 'Forgets its vote',
    description: 'It does not remember whom it voted for in a term, so two candidates of the same term can both collect a majority: two leaders in one term.',
  },
  {
    id: 'no-log-check',
    title: 'Ignores the log',
    description: 'It never compares logs, so a candidate that is missing committed writes can win and then overwrite them everywhere.',
  },
  {
    id: 'sync-give-up',
    title: 'Asks once, gives up',
    description: 'It asks each peer once and counts only the answers that come back at once; a slow or lost answer is a no, and it never asks again.',
  },
];

/** The toy rule as a whole: every fault at once, as the lecture's code has them. */
export const TOY_RULE: readonly ToyFaultId[] = TOY_FAULT_IDS;

/**
 * Switches a running cluster to the toy rule (or some of its faults; `[]` is back to Raft). The
 * rule is part of the state, so a replay reproduces it and the board can flip it live.
 */
export function withToyRule(state: RaftState, faults: readonly ToyFaultId[] = TOY_RULE): RaftState {
  return { ...state, config: { ...state.config, toyFaults: [...faults] } };
}

/** What one simulated future showed, measured the same way for the real rule and a toy fault. */
export interface FutureOutcome {
  /** Terms in which two different nodes were elected (RAFT1 broken). */
  readonly doubleLeaderTerms: readonly number[];
  /** Votes granted to a request of a lower term than the voter's own. */
  readonly staleVotes: number;
  /** Elections won with at least one such stale vote. */
  readonly staleWins: number;
  /** Times a committed entry was seen replaced by a different one at its index (never under Raft). */
  readonly lostCommits: number;
  /** Candidates that gave up waiting for answers. */
  readonly giveUps: number;
  /** Simulated ms until the first election in this future, or null if none happened. */
  readonly firstElectionMs: number | null;
}

function runFuture(state: RaftState, faults: readonly ToyFaultId[], salt: number, horizonMs: number, sampleMs: number): FutureOutcome {
  // Salt 0 is the cluster's actual future; other salts reseed the PRNG to see other timings.
  let s: RaftState = { ...withToyRule(state, faults), rng: (state.rng + Math.imul(salt, 0x9e3779b9)) | 0 };
  const start = s.now;
  const events: RaftEvent[] = [];
  const committed = new Map<number, string>();
  let lostCommits = 0;
  const observeCommits = (st: RaftState): void => {
    for (const n of Object.values(st.nodes)) {
      n.log.slice(0, n.commitIndex).forEach((entry, i) => {
        const key = JSON.stringify(entry);
        const seen = committed.get(i + 1);
        if (seen === undefined) committed.set(i + 1, key);
        else if (seen !== key) {
          lostCommits += 1;
          committed.set(i + 1, key);
        }
      });
    }
  };
  observeCommits(s);
  for (let t = start + sampleMs; t <= start + horizonMs; t += sampleMs) {
    const r = raftStep(s, { type: 'advance', to: t }, { now: s.now });
    s = r.state;
    events.push(...r.events);
    observeCommits(s);
  }
  const electedBy = new Map<number, Set<ClusterNodeId>>();
  const staleVoteFor = new Set<string>();
  let staleVotes = 0;
  let staleWins = 0;
  let giveUps = 0;
  let firstElectionMs: number | null = null;
  for (const e of events) {
    if (e.type === 'voted' && e.term < e.voterTerm) {
      staleVotes += 1;
      staleVoteFor.add(`${e.candidate}@${e.term}`);
    } else if (e.type === 'elected') {
      const set = electedBy.get(e.term) ?? new Set<ClusterNodeId>();
      set.add(e.node);
      electedBy.set(e.term, set);
      if (staleVoteFor.has(`${e.node}@${e.term}`)) staleWins += 1;
      firstElectionMs ??= e.at - start;
    } else if (e.type === 'gaveUp') giveUps += 1;
  }
  const doubleLeaderTerms = [...electedBy].filter(([, nodes]) => nodes.size > 1).map(([term]) => term);
  return { doubleLeaderTerms, staleVotes, staleWins, lostCommits, giveUps, firstElectionMs };
}

/** One panel bullet: how often, over the sampled futures, the outcome this fault spoils went wrong. */
export interface ToyFinding {
  readonly fault: ToyFault;
  /** Futures (of `futures`) where the real rule showed the bad outcome: 0 for the safety faults, by RAFT1 and RAFT4. */
  readonly realCount: number;
  readonly toyCount: number;
  readonly futures: number;
  readonly differs: boolean;
  /** One sentence for the panel, with the numbers. */
  readonly summary: string;
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

function finding(fault: ToyFault, real: readonly FutureOutcome[], toy: readonly FutureOutcome[]): ToyFinding {
  const futures = real.length;
  const count = (outcomes: readonly FutureOutcome[], bad: (o: FutureOutcome) => boolean): number => outcomes.filter(bad).length;
  const of = `of ${futures} simulated futures from here`;
  switch (fault.id) {
    case 'no-vote-memory': {
      const bad = (o: FutureOutcome): boolean => o.doubleLeaderTerms.length > 0;
      const r = count(real, bad);
      const t = count(toy, bad);
      return { fault, realCount: r, toyCount: t, futures, differs: r !== t, summary: `Two leaders in one term in ${t} ${of} with the toy rule, ${r} with Raft.` };
    }
    case 'no-term-check': {
      const bad = (o: FutureOutcome): boolean => o.staleVotes > 0;
      const r = count(real, bad);
      const t = count(toy, bad);
      const wins = count(toy, (o) => o.staleWins > 0);
      return {
        fault,
        realCount: r,
        toyCount: t,
        futures,
        differs: r !== t,
        summary: `Votes go to a candidate of an older term in ${t} ${of} (a stale candidate wins in ${wins}) with the toy rule, ${r} with Raft.`,
      };
    }
    case 'no-log-check': {
      const bad = (o: FutureOutcome): boolean => o.lostCommits > 0;
      const r = count(real, bad);
      const t = count(toy, bad);
      return { fault, realCount: r, toyCount: t, futures, differs: r !== t, summary: `A committed write is overwritten in ${t} ${of} with the toy rule, ${r} with Raft.` };
    }
    case 'sync-give-up': {
      const bad = (o: FutureOutcome): boolean => o.giveUps > 0 && o.firstElectionMs === null;
      const r = count(real, bad);
      const t = count(toy, bad);
      const ms = (outcomes: readonly FutureOutcome[]): string => {
        const m = median(outcomes.flatMap((o) => (o.firstElectionMs === null ? [] : [o.firstElectionMs])));
        return m === null ? 'no election' : `first leader after ${m} ms (median)`;
      };
      const realElected = count(real, (o) => o.firstElectionMs !== null);
      const toyElected = count(toy, (o) => o.firstElectionMs !== null);
      return {
        fault,
        realCount: r,
        toyCount: t,
        futures,
        differs: r !== t || realElected !== toyElected,
        summary: `A leader is elected in ${toyElected} ${of} with the toy rule (${ms(toy)}), ${realElected} with Raft (${ms(real)}).`,
      };
    }
    default: {
      const unknown: never = fault.id;
      throw new Error(`unknown fault ${String(unknown)}`);
    }
  }
}

/**
 * What the toy rule would do differently on the cluster as it is now (its cut, crashes, terms and
 * logs): runs `futures` futures of `horizonMs` under the real rule and under each fault alone, and
 * counts the outcome each fault spoils. Future 0 is the cluster's own; the others reseed timings.
 * Pure; costs futures x 5 short simulations (tens of ms), so the board computes it on demand, not per frame.
 */
export function toyDiagnosis(state: RaftState, options: { readonly futures?: number; readonly horizonMs?: number } = {}): ToyFinding[] {
  const futures = options.futures ?? 12;
  const horizonMs = options.horizonMs ?? 2000;
  // Commits are compared between samples; 100 ms is shorter than any crash-free overwrite takes.
  const sampleMs = 100;
  const run = (faults: readonly ToyFaultId[]): FutureOutcome[] => Array.from({ length: futures }, (_, salt) => runFuture(state, faults, salt, horizonMs, sampleMs));
  const real = run([]);
  return TOY_FAULTS.map((fault) => finding(fault, real, run([fault.id])));
}
