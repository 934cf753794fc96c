/**
 * The vote rule, kept apart from the engine so the real rule and the lecture's toy rule read side
 * by side: each toy fault switches off exactly one of Raft's checks (RAFT4).
 */
import type { ClusterNodeId } from './cluster.ts';

/** The four faults of the lecture's toy election. An empty list is the real Raft rule. */
export const TOY_FAULT_IDS = ['no-term-check', 'no-vote-memory', 'no-log-check', 'sync-give-up'] as const;
/** Closed, so the panel's bullets and the tests cover every fault. */
export type ToyFaultId = (typeof TOY_FAULT_IDS)[number];

/** The last entry of a log: Raft compares logs by it alone. Index 0 and term 0 for an empty log. */
export interface LogPosition {
  readonly term: number;
  readonly index: number;
}

/**
 * Raft's election restriction (§5.4.1): a candidate's log is at least as up to date as the
 * voter's when its last term is higher, or equal with an index at least as long. It is what keeps
 * a committed entry in every future leader's log.
 */
export function logUpToDate(candidate: LogPosition, voter: LogPosition): boolean {
  return candidate.term > voter.term || (candidate.term === voter.term && candidate.index >= voter.index);
}

/** What the voter knows when a RequestVote arrives, after it has adopted any higher term. */
export interface Voter {
  readonly term: number;
  readonly votedFor: ClusterNodeId | null;
  readonly last: LogPosition;
}

/** What a RequestVote carries that the rule looks at. */
export interface VoteRequest {
  readonly term: number;
  readonly candidate: ClusterNodeId;
  readonly last: LogPosition;
}

/**
 * Whether `voter` grants `request`. The real rule (no faults): the request is for the voter's
 * current term, the voter has not voted for someone else in it, and the candidate's log is up to
 * date. Each toy fault drops one of those three checks ('sync-give-up' is about the candidate, not
 * the voter, so it changes nothing here).
 */
export function grantsVote(voter: Voter, request: VoteRequest, faults: readonly ToyFaultId[]): boolean {
  const termOk = faults.includes('no-term-check') || request.term === voter.term;
  const notVotedElsewhere = faults.includes('no-vote-memory') || voter.votedFor === null || voter.votedFor === request.candidate;
  const logOk = faults.includes('no-log-check') || logUpToDate(request.last, voter.last);
  return termOk && notVotedElsewhere && logOk;
}
