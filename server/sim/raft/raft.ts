/**
 * Raft leader election (with just enough log replication to show "the minority cannot commit")
 * on the five nodes A–E, as plain data and one pure step function. The shape is RaftScope's
 * (raft.js / state.js: servers with timers, messages with send and arrival times), made
 * immutable and deterministic: every random draw comes from the PRNG state kept in RaftState.
 *
 * Decisions worth knowing:
 * - A message whose link is cut at its arrival time is DROPPED, not held. That is what a real
 *   network does to an RPC, and Raft is built for it: leaders resend AppendEntries every
 *   heartbeat, candidates resend unanswered RequestVotes, and a timed-out election starts over.
 *   (The feeds' link holds messages instead, NET2, because replication must not lose writes.)
 *   A message to a crashed node is dropped the same way; one already sent by a node that then
 *   crashes still arrives.
 * - A new leader appends a no-op entry of its own term (Raft paper §8). Without it a leader
 *   cannot commit entries from earlier terms, and a stale leader's uncommitted write could
 *   survive a heal; with it, the majority's new term overwrites the minority's suffix.
 * - Crash keeps what Raft persists (term, votedFor, log) and the commit index (knowledge that an
 *   entry is committed never becomes false); it loses the role, votes and leader bookkeeping.
 * - No PreVote or CheckQuorum: under a one-way cut a West node that hears no heartbeats keeps
 *   raising its term and deposing East's leader. That is Raft as specified in the paper, and a
 *   real effect worth showing; it does not break safety (RAFT1).
 */
import { List } from 'immutable';
import { CLUSTER_NODES, CLUSTER_NODE_DC, MAJORITY, canDeliver, nextRandom, type ClusterCtx, type ClusterDc, type ClusterInput, type ClusterNodeId, type Cut } from './cluster.ts';
import { grantsVote, type LogPosition, type ToyFaultId } from './vote.ts';

/** Raft's three roles; a crashed node keeps its persistent state and shows its `crashed` flag instead. */
export type RaftRole = 'follower' | 'candidate' | 'leader';

/** One log entry. `value` null is a new leader's no-op (see the decisions above). */
export interface LogEntry {
  readonly term: number;
  readonly value: string | null;
}

/** One server, in RaftScope's terms. Times are simulated ms; a null timer is not running. */
export interface RaftNode {
  readonly id: ClusterNodeId;
  readonly role: RaftRole;
  readonly term: number;
  readonly votedFor: ClusterNodeId | null;
  /** A persistent list: a step that adds an entry shares the rest with every kept snapshot. */
  readonly log: List<LogEntry>;
  /** 1-based index of the last entry this node knows to be committed; 0 for none. */
  readonly commitIndex: number;
  readonly crashed: boolean;
  /** Who this node last accepted AppendEntries from in its current term. */
  readonly leaderId: ClusterNodeId | null;
  /** A candidate's votes in its current term, itself included. */
  readonly votesGranted: readonly ClusterNodeId[];
  /** When a follower or candidate starts an election unless a leader or a vote resets it. */
  readonly electionDeadline: number | null;
  /** The timeout drawn for the running election timer, for the board's progress ring. */
  readonly electionTimeoutMs: number;
  /** When this node next sends RPCs: a leader's heartbeat, or a candidate's retry of unanswered vote requests. */
  readonly rpcDue: number | null;
  /** Toy rule only ('sync-give-up'): when a candidate stops waiting for votes. */
  readonly giveUpAt: number | null;
  /** Leader bookkeeping: the next log index to send each peer, and the highest index known replicated there. */
  readonly nextIndex: Readonly<Record<ClusterNodeId, number>>;
  readonly matchIndex: Readonly<Record<ClusterNodeId, number>>;
}

/** The four RPC messages of leader election and replication (Raft Figure 2). */
export type RaftRpc =
  | { readonly kind: 'requestVote'; readonly term: number; readonly lastLogIndex: number; readonly lastLogTerm: number }
  | { readonly kind: 'vote'; readonly term: number; readonly granted: boolean }
  | {
      readonly kind: 'appendEntries';
      readonly term: number;
      readonly prevLogIndex: number;
      readonly prevLogTerm: number;
      readonly entries: List<LogEntry>;
      readonly leaderCommit: number;
    }
  /** On success `matchIndex` is how far the follower's log now matches; on failure a hint of where to retry. */
  | { readonly kind: 'appended'; readonly term: number; readonly success: boolean; readonly matchIndex: number };

/** A message on the simulated network: the network is data, and the cut is a rule at `deliverAt`. */
export interface RaftMessage {
  readonly seq: number;
  readonly from: ClusterNodeId;
  readonly to: ClusterNodeId;
  readonly sentAt: number;
  readonly deliverAt: number;
  readonly rpc: RaftRpc;
}

/** Timing and rule. Defaults follow the Raft paper's suggestion (timeouts well above round trips). */
export interface RaftConfig {
  readonly electionTimeoutMinMs: number;
  readonly electionTimeoutMaxMs: number;
  readonly heartbeatMs: number;
  /** How long a candidate waits before resending RequestVote to peers that have not granted. */
  readonly rpcRetryMs: number;
  /** One-way message latency: uniform in [min, max], so messages can overtake each other. */
  readonly latencyMinMs: number;
  readonly latencyMaxMs: number;
  /** The lecture's toy faults to switch on; empty is the real rule. */
  readonly toyFaults: readonly ToyFaultId[];
  /** Toy rule: how long a candidate waits for answers before giving up ('sync-give-up'). */
  readonly toyAskTimeoutMs: number;
}

/** The defaults the board uses: 150–300 ms election timeouts, 50 ms heartbeats, 20–60 ms latency. */
export const DEFAULT_RAFT_CONFIG: RaftConfig = {
  electionTimeoutMinMs: 150,
  electionTimeoutMaxMs: 300,
  heartbeatMs: 50,
  rpcRetryMs: 100,
  latencyMinMs: 20,
  latencyMaxMs: 60,
  toyFaults: [],
  toyAskTimeoutMs: 80,
};

/** The whole simulation as serialisable data: a snapshot the board can keep for step-back. */
export interface RaftState {
  readonly config: RaftConfig;
  readonly nodes: Readonly<Record<ClusterNodeId, RaftNode>>;
  readonly cut: Cut;
  /** Messages sent and not yet delivered or dropped, in send order. */
  readonly inFlight: readonly RaftMessage[];
  readonly nextSeq: number;
  /** The PRNG state: timeouts and latencies are drawn from it, so a replay draws the same numbers. */
  readonly rng: number;
  readonly now: number;
}

/** What happened, with its simulated time: for the board's timeline and for the tests' invariants. */
export type RaftEvent =
  | { readonly type: 'timedOut'; readonly at: number; readonly node: ClusterNodeId; readonly term: number }
  | {
      readonly type: 'voted';
      readonly at: number;
      readonly node: ClusterNodeId;
      readonly candidate: ClusterNodeId;
      /** The term the candidate asked in. */
      readonly term: number;
      /** The voter's own term when it voted (after adopting any higher one). */
      readonly voterTerm: number;
      readonly candidateLast: LogPosition;
      readonly voterLast: LogPosition;
    }
  | { readonly type: 'elected'; readonly at: number; readonly node: ClusterNodeId; readonly term: number; readonly voters: readonly ClusterNodeId[] }
  | { readonly type: 'steppedDown'; readonly at: number; readonly node: ClusterNodeId; readonly term: number; readonly was: 'leader' | 'candidate' }
  | { readonly type: 'gaveUp'; readonly at: number; readonly node: ClusterNodeId; readonly term: number }
  | { readonly type: 'dropped'; readonly at: number; readonly message: RaftMessage; readonly reason: 'cut' | 'crashed' }
  | { readonly type: 'writeAccepted'; readonly at: number; readonly node: ClusterNodeId; readonly term: number; readonly index: number; readonly value: string }
  | {
      readonly type: 'writeRejected';
      readonly at: number;
      readonly node: ClusterNodeId | null;
      readonly value: string;
      readonly reason: 'no-leader' | 'not-leader' | 'crashed';
    }
  | { readonly type: 'committed'; readonly at: number; readonly node: ClusterNodeId; readonly index: number }
  | { readonly type: 'discarded'; readonly at: number; readonly node: ClusterNodeId; readonly fromIndex: number; readonly entries: readonly LogEntry[] }
  | { readonly type: 'crashed'; readonly at: number; readonly node: ClusterNodeId }
  | { readonly type: 'restarted'; readonly at: number; readonly node: ClusterNodeId }
  | { readonly type: 'cutSet'; readonly at: number; readonly cut: Cut };

/** The result of one step. Nothing is ever refused: a write to a non-leader is an event, not an error. */
export interface RaftStepResult {
  readonly state: RaftState;
  readonly events: readonly RaftEvent[];
}

// Inside one step the engine works on a private draft, so handlers can read like the Raft paper;
// the caller's state is never touched. See `draftOf` for what is copied.
type Mutable<T> = T extends List<unknown> ? T : T extends readonly (infer U)[] ? Mutable<U>[] : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;
type Draft = Mutable<RaftState>;
type DraftNode = Mutable<RaftNode>;
type Emit = (event: RaftEvent) => void;

function perNode(value: number): Record<ClusterNodeId, number> {
  return { A: value, B: value, C: value, D: value, E: value };
}

function checkConfig(c: RaftConfig): void {
  const ok =
    c.latencyMinMs >= 1 &&
    c.latencyMaxMs >= c.latencyMinMs &&
    c.heartbeatMs >= 1 &&
    c.rpcRetryMs >= 1 &&
    c.toyAskTimeoutMs >= 1 &&
    c.electionTimeoutMinMs >= 1 &&
    c.electionTimeoutMaxMs >= c.electionTimeoutMinMs;
  // Positive delays are what guarantee time moves forward; a bad config is a programming error.
  if (!ok) throw new RangeError(`invalid Raft config: ${JSON.stringify(c)}`);
}

/** A new cluster at `now`: five followers in term 0 with empty logs; `seed` fixes every draw. */
export function createRaft(seed: number, now: number, config: Partial<RaftConfig> = {}): RaftState {
  const full: RaftConfig = { ...DEFAULT_RAFT_CONFIG, ...config };
  checkConfig(full);
  const s: Draft = { config: { ...full, toyFaults: [...full.toyFaults] }, nodes: {} as Draft['nodes'], cut: 'none', inFlight: [], nextSeq: 0, rng: seed | 0, now };
  for (const id of CLUSTER_NODES) {
    const node: DraftNode = {
      id,
      role: 'follower',
      term: 0,
      votedFor: null,
      log: List(),
      commitIndex: 0,
      crashed: false,
      leaderId: null,
      votesGranted: [],
      electionDeadline: null,
      electionTimeoutMs: 0,
      rpcDue: null,
      giveUpAt: null,
      nextIndex: perNode(1),
      matchIndex: perNode(0),
    };
    resetElectionTimer(s, node);
    s.nodes[id] = node;
  }
  return s;
}

function drawInt(s: Draft, min: number, max: number): number {
  const r = nextRandom(s.rng);
  s.rng = r.state;
  return min + Math.floor(r.value * (max - min + 1));
}

function resetElectionTimer(s: Draft, n: DraftNode): void {
  n.electionTimeoutMs = drawInt(s, s.config.electionTimeoutMinMs, s.config.electionTimeoutMaxMs);
  n.electionDeadline = s.now + n.electionTimeoutMs;
}

function send(s: Draft, from: ClusterNodeId, to: ClusterNodeId, rpc: Mutable<RaftRpc>): void {
  const latency = drawInt(s, s.config.latencyMinMs, s.config.latencyMaxMs);
  s.inFlight.push({ seq: s.nextSeq, from, to, sentAt: s.now, deliverAt: s.now + latency, rpc });
  s.nextSeq += 1;
}

function peers(id: ClusterNodeId): ClusterNodeId[] {
  return CLUSTER_NODES.filter((p) => p !== id);
}

function lastPosition(n: { readonly log: List<LogEntry> }): LogPosition {
  return { index: n.log.size, term: n.log.last()?.term ?? 0 };
}

/** The term of the entry at a 1-based index; 0 for the empty prefix, null past the end. */
function termAt(n: DraftNode, index: number): number | null {
  if (index === 0) return 0;
  return n.log.get(index - 1)?.term ?? null;
}

function has(s: Draft, fault: ToyFaultId): boolean {
  return s.config.toyFaults.includes(fault);
}

/** Any RPC with a higher term makes a node a follower of that term (Raft's universal rule). */
function adoptTerm(s: Draft, n: DraftNode, term: number, emit: Emit): void {
  n.term = term;
  n.votedFor = null;
  n.leaderId = null;
  becomeFollower(s, n, emit);
}

function becomeFollower(s: Draft, n: DraftNode, emit: Emit): void {
  if (n.role !== 'follower') emit({ type: 'steppedDown', at: s.now, node: n.id, term: n.term, was: n.role });
  // A leader had no election timer; a candidate keeps the one it drew.
  if (n.role === 'leader') resetElectionTimer(s, n);
  n.role = 'follower';
  n.votesGranted = [];
  n.rpcDue = null;
  n.giveUpAt = null;
}

function startElection(s: Draft, n: DraftNode, emit: Emit): void {
  n.term += 1;
  n.role = 'candidate';
  n.votedFor = n.id;
  n.votesGranted = [n.id];
  n.leaderId = null;
  resetElectionTimer(s, n);
  const last = lastPosition(n);
  emit({ type: 'timedOut', at: s.now, node: n.id, term: n.term });
  emit({ type: 'voted', at: s.now, node: n.id, candidate: n.id, term: n.term, voterTerm: n.term, candidateLast: last, voterLast: last });
  for (const p of peers(n.id)) send(s, n.id, p, { kind: 'requestVote', term: n.term, lastLogIndex: last.index, lastLogTerm: last.term });
  // The real candidate keeps asking until its election timer fires; the toy asks once, then gives up.
  if (has(s, 'sync-give-up')) {
    n.giveUpAt = s.now + s.config.toyAskTimeoutMs;
    n.rpcDue = null;
  } else {
    n.rpcDue = s.now + s.config.rpcRetryMs;
  }
}

function becomeLeader(s: Draft, n: DraftNode, emit: Emit): void {
  n.role = 'leader';
  n.leaderId = n.id;
  n.electionDeadline = null;
  n.giveUpAt = null;
  emit({ type: 'elected', at: s.now, node: n.id, term: n.term, voters: [...n.votesGranted] });
  n.nextIndex = perNode(n.log.size + 1);
  n.matchIndex = perNode(0);
  n.log = n.log.push({ term: n.term, value: null });
  n.matchIndex[n.id] = n.log.size;
  broadcastAppendEntries(s, n);
}

function sendAppendEntries(s: Draft, leader: DraftNode, to: ClusterNodeId): void {
  const prevLogIndex = leader.nextIndex[to] - 1;
  send(s, leader.id, to, {
    kind: 'appendEntries',
    term: leader.term,
    prevLogIndex,
    prevLogTerm: termAt(leader, prevLogIndex) ?? 0,
    entries: leader.log.slice(prevLogIndex),
    leaderCommit: leader.commitIndex,
  });
}

function broadcastAppendEntries(s: Draft, leader: DraftNode): void {
  for (const p of peers(leader.id)) sendAppendEntries(s, leader, p);
  leader.rpcDue = s.now + s.config.heartbeatMs;
}

/** A leader commits the highest index stored on a majority, but only an entry of its own term (§5.4.2). */
function advanceCommit(s: Draft, leader: DraftNode, emit: Emit): void {
  for (let index = leader.log.size; index > leader.commitIndex; index -= 1) {
    if (leader.log.get(index - 1)?.term !== leader.term) break;
    const stored = CLUSTER_NODES.filter((id) => leader.matchIndex[id] >= index).length;
    if (stored >= MAJORITY) {
      leader.commitIndex = index;
      emit({ type: 'committed', at: s.now, node: leader.id, index });
      return;
    }
  }
}

function onRequestVote(s: Draft, n: DraftNode, from: ClusterNodeId, rpc: Extract<RaftRpc, { kind: 'requestVote' }>, emit: Emit): void {
  const candidateLast = { term: rpc.lastLogTerm, index: rpc.lastLogIndex };
  const voterLast = lastPosition(n);
  const granted = grantsVote({ term: n.term, votedFor: n.votedFor, last: voterLast }, { term: rpc.term, candidate: from, last: candidateLast }, s.config.toyFaults);
  if (granted) {
    n.votedFor = from;
    if (n.role !== 'leader') resetElectionTimer(s, n);
    emit({ type: 'voted', at: s.now, node: n.id, candidate: from, term: rpc.term, voterTerm: n.term, candidateLast, voterLast });
  }
  // A grant echoes the asked term: under the real rule that is the voter's term anyway, and the
  // toy's bare "yes" carries no newer term for a stale candidate to learn from.
  send(s, n.id, from, { kind: 'vote', term: granted ? rpc.term : n.term, granted });
}

function onVote(s: Draft, n: DraftNode, from: ClusterNodeId, rpc: Extract<RaftRpc, { kind: 'vote' }>, emit: Emit): void {
  if (n.role !== 'candidate' || rpc.term !== n.term || !rpc.granted || n.votesGranted.includes(from)) return;
  n.votesGranted.push(from);
  if (n.votesGranted.length >= MAJORITY) becomeLeader(s, n, emit);
}

function onAppendEntries(s: Draft, n: DraftNode, from: ClusterNodeId, rpc: Extract<RaftRpc, { kind: 'appendEntries' }>, emit: Emit): void {
  if (rpc.term < n.term) {
    // The reply's higher term is what deposes a stale leader (RAFT3).
    send(s, n.id, from, { kind: 'appended', term: n.term, success: false, matchIndex: 0 });
    return;
  }
  becomeFollower(s, n, emit);
  n.leaderId = from;
  resetElectionTimer(s, n);
  if (rpc.prevLogIndex > n.log.size || termAt(n, rpc.prevLogIndex) !== rpc.prevLogTerm) {
    send(s, n.id, from, { kind: 'appended', term: n.term, success: false, matchIndex: Math.min(n.log.size, rpc.prevLogIndex - 1) });
    return;
  }
  let k = 0;
  for (const entry of rpc.entries) {
    const index = rpc.prevLogIndex + 1 + k;
    k += 1;
    const existing = n.log.get(index - 1);
    if (existing && existing.term !== entry.term) {
      // A conflicting suffix was never committed (Log Matching): drop it, as a healed minority does.
      emit({ type: 'discarded', at: s.now, node: n.id, fromIndex: index, entries: n.log.slice(index - 1).toArray() });
      n.log = n.log.setSize(index - 1);
    }
    if (!n.log.get(index - 1)) n.log = n.log.push({ term: entry.term, value: entry.value });
  }
  // Only a toy rule can truncate below the commit index (no-log-check); keep the index inside the log.
  n.commitIndex = Math.min(n.commitIndex, n.log.size);
  const matchIndex = rpc.prevLogIndex + rpc.entries.size;
  const commit = Math.min(rpc.leaderCommit, matchIndex);
  if (commit > n.commitIndex) {
    n.commitIndex = commit;
    emit({ type: 'committed', at: s.now, node: n.id, index: commit });
  }
  send(s, n.id, from, { kind: 'appended', term: n.term, success: true, matchIndex });
}

function onAppended(s: Draft, n: DraftNode, from: ClusterNodeId, rpc: Extract<RaftRpc, { kind: 'appended' }>, emit: Emit): void {
  if (n.role !== 'leader' || rpc.term !== n.term) return;
  if (rpc.success) {
    n.matchIndex[from] = Math.max(n.matchIndex[from], rpc.matchIndex);
    n.nextIndex[from] = n.matchIndex[from] + 1;
    advanceCommit(s, n, emit);
  } else {
    // Walk back (jumping to the follower's hint) and retry at once rather than a heartbeat later.
    n.nextIndex[from] = Math.max(1, Math.min(n.nextIndex[from] - 1, rpc.matchIndex + 1));
    sendAppendEntries(s, n, from);
  }
}

function deliver(s: Draft, m: RaftMessage, emit: Emit): void {
  const n = s.nodes[m.to];
  if (n.crashed) return emit({ type: 'dropped', at: s.now, message: m, reason: 'crashed' });
  if (!canDeliver(s.cut, m.from, m.to)) return emit({ type: 'dropped', at: s.now, message: m, reason: 'cut' });
  if (m.rpc.term > n.term) adoptTerm(s, n, m.rpc.term, emit);
  const rpc = m.rpc;
  switch (rpc.kind) {
    case 'requestVote':
      return onRequestVote(s, n, m.from, rpc, emit);
    case 'vote':
      return onVote(s, n, m.from, rpc, emit);
    case 'appendEntries':
      return onAppendEntries(s, n, m.from, rpc, emit);
    case 'appended':
      return onAppended(s, n, m.from, rpc, emit);
    default: {
      const unknown: never = rpc;
      throw new Error(`unknown rpc ${JSON.stringify(unknown)}`);
    }
  }
}

function fireTimer(s: Draft, n: DraftNode, emit: Emit): void {
  if (n.giveUpAt !== null && n.giveUpAt <= s.now) {
    emit({ type: 'gaveUp', at: s.now, node: n.id, term: n.term });
    n.role = 'follower';
    n.votesGranted = [];
    n.giveUpAt = null;
  } else if (n.electionDeadline !== null && n.electionDeadline <= s.now) {
    startElection(s, n, emit);
  } else if (n.role === 'leader') {
    broadcastAppendEntries(s, n);
  } else if (n.role === 'candidate') {
    for (const p of peers(n.id)) {
      if (!n.votesGranted.includes(p)) {
        const last = lastPosition(n);
        send(s, n.id, p, { kind: 'requestVote', term: n.term, lastLogIndex: last.index, lastLogTerm: last.term });
      }
    }
    n.rpcDue = s.now + s.config.rpcRetryMs;
  } else {
    n.rpcDue = null;
  }
}

function nodeTimer(n: RaftNode): number | null {
  if (n.crashed) return null;
  let at: number | null = null;
  for (const t of [n.giveUpAt, n.electionDeadline, n.rpcDue]) if (t !== null && (at === null || t < at)) at = t;
  return at;
}

type Due = { readonly at: number; readonly message: RaftMessage } | { readonly at: number; readonly node: ClusterNodeId };

/** The earliest thing that happens next. Ties: deliveries before timers, then send order, then node order. */
function nextDue(s: RaftState): Due | null {
  let due: Due | null = null;
  for (const m of s.inFlight) {
    if (due === null || m.deliverAt < due.at || (m.deliverAt === due.at && 'message' in due && m.seq < due.message.seq)) due = { at: m.deliverAt, message: m };
  }
  for (const id of CLUSTER_NODES) {
    const at = nodeTimer(s.nodes[id]);
    if (at !== null && (due === null || at < due.at)) due = { at, node: id };
  }
  return due;
}

function runOne(s: Draft, due: Due, emit: Emit): void {
  s.now = Math.max(s.now, due.at);
  if ('message' in due) {
    const seq = due.message.seq;
    const index = s.inFlight.findIndex((m) => m.seq === seq);
    const [message] = s.inFlight.splice(index, 1);
    if (message) deliver(s, message, emit);
  } else {
    fireTimer(s, s.nodes[due.node], emit);
  }
}

function runUntil(s: Draft, to: number, emit: Emit): void {
  for (let due = nextDue(s); due !== null && due.at <= to; due = nextDue(s)) runOne(s, due, emit);
  s.now = Math.max(s.now, to);
}

/** The node a client would find as leader: the live leader with the highest term. */
function findLeader(s: RaftState): ClusterNodeId | null {
  let best: RaftNode | null = null;
  for (const id of CLUSTER_NODES) {
    const n = s.nodes[id];
    if (!n.crashed && n.role === 'leader' && (best === null || n.term > best.term)) best = n;
  }
  return best?.id ?? null;
}

function clientWrite(s: Draft, value: string, target: ClusterNodeId | undefined, emit: Emit): void {
  const id = target ?? findLeader(s);
  if (id === null) return emit({ type: 'writeRejected', at: s.now, node: null, value, reason: 'no-leader' });
  const n = s.nodes[id];
  if (n.crashed) return emit({ type: 'writeRejected', at: s.now, node: id, value, reason: 'crashed' });
  if (n.role !== 'leader') return emit({ type: 'writeRejected', at: s.now, node: id, value, reason: 'not-leader' });
  // A leader accepts without knowing whether it still has a majority; only commit tells.
  n.log = n.log.push({ term: n.term, value });
  n.matchIndex[id] = n.log.size;
  emit({ type: 'writeAccepted', at: s.now, node: id, term: n.term, index: n.log.size, value });
  broadcastAppendEntries(s, n);
}

function apply(s: Draft, input: ClusterInput, emit: Emit): void {
  switch (input.type) {
    case 'advance':
      return runUntil(s, input.to, emit);
    case 'next': {
      const due = nextDue(s);
      if (due) runOne(s, due, emit);
      return;
    }
    case 'setCut':
      if (s.cut === input.cut) return;
      s.cut = input.cut;
      return emit({ type: 'cutSet', at: s.now, cut: input.cut });
    case 'crash': {
      const n = s.nodes[input.node];
      if (n.crashed) return;
      n.crashed = true;
      n.role = 'follower';
      n.votesGranted = [];
      n.leaderId = null;
      n.electionDeadline = null;
      n.rpcDue = null;
      n.giveUpAt = null;
      return emit({ type: 'crashed', at: s.now, node: n.id });
    }
    case 'restart': {
      const n = s.nodes[input.node];
      if (!n.crashed) return;
      n.crashed = false;
      resetElectionTimer(s, n);
      return emit({ type: 'restarted', at: s.now, node: n.id });
    }
    case 'clientWrite':
      return clientWrite(s, input.value, input.node, emit);
    default: {
      const unknown: never = input;
      throw new Error(`unknown input ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Copies exactly what handlers mutate: the nodes, their votes and leader bookkeeping, and the
 * in-flight list. Logs are persistent lists (a handler replaces a node's list, never changes it),
 * and log entries and messages are never changed once made, so consecutive snapshots share them:
 * a step costs nothing per entry, however long the logs (a class writes thousands), and a replay
 * can keep hundreds of snapshots for step-back. The frozen-input test guards this.
 */
function draftOf(state: RaftState): Draft {
  const nodes = {} as Draft['nodes'];
  for (const id of CLUSTER_NODES) {
    const n = state.nodes[id];
    nodes[id] = { ...n, votesGranted: [...n.votesGranted], nextIndex: { ...n.nextIndex }, matchIndex: { ...n.matchIndex } };
  }
  return { ...state, nodes, inFlight: [...state.inFlight] } as Draft;
}

/**
 * The one way the Raft view changes: runs the cluster up to `ctx.now`, then applies `input`.
 * Pure: the same state and inputs give a deep-equal result, and `state` is never mutated.
 */
export function raftStep(state: RaftState, input: ClusterInput, ctx: ClusterCtx): RaftStepResult {
  const s = draftOf(state);
  const events: RaftEvent[] = [];
  const emit: Emit = (e) => {
    events.push(e);
  };
  runUntil(s, ctx.now, emit);
  apply(s, input, emit);
  return { state: s, events };
}

/** Live nodes that believe they lead, in node order: more than one only across terms (a stale leader). */
export function leaders(state: RaftState): ClusterNodeId[] {
  return CLUSTER_NODES.filter((id) => !state.nodes[id].crashed && state.nodes[id].role === 'leader');
}

/** How far a node's election timer has run, 0..1, for the board's ring; null for leaders and crashed nodes. */
export function timeoutProgress(state: RaftState, node: ClusterNodeId): number | null {
  const n = state.nodes[node];
  if (n.crashed || n.electionDeadline === null || n.electionTimeoutMs <= 0) return null;
  const elapsed = n.electionTimeoutMs - (n.electionDeadline - state.now);
  return Math.min(1, Math.max(0, elapsed / n.electionTimeoutMs));
}

/** A message for the board to draw as a dot: how far along it is, and whether the cut will drop it. */
export interface MessageView {
  readonly message: RaftMessage;
  readonly progress: number;
  readonly blocked: boolean;
}

/** Messages in flight with their position, so the board animates from state alone. */
export function messagesInFlight(state: RaftState): MessageView[] {
  return state.inFlight.map((message) => {
    const span = message.deliverAt - message.sentAt;
    const progress = span <= 0 ? 1 : Math.min(1, Math.max(0, (state.now - message.sentAt) / span));
    return { message, progress, blocked: !canDeliver(state.cut, message.from, message.to) || state.nodes[message.to].crashed };
  });
}

/** When the next timer or delivery happens; null when nothing will (every node crashed, no mail). */
export function nextEventAt(state: RaftState): number | null {
  return nextDue(state)?.at ?? null;
}

/** A node's committed prefix: the entries it knows can never be lost. */
export function committedLog(state: RaftState, node: ClusterNodeId): readonly LogEntry[] {
  const n = state.nodes[node];
  return n.log.slice(0, n.commitIndex).toArray();
}

/** Everything the board draws for one node, flat, so the view never reads Raft's bookkeeping. */
export interface RaftNodeView {
  readonly id: ClusterNodeId;
  readonly dc: ClusterDc;
  readonly role: RaftRole | 'crashed';
  readonly term: number;
  readonly votedFor: ClusterNodeId | null;
  readonly leaderId: ClusterNodeId | null;
  readonly timeoutProgress: number | null;
  readonly logLength: number;
  readonly commitIndex: number;
}

/** One view per node, in node order: role, term, voted-for, timer ring and log bar for the board. */
export function raftNodeViews(state: RaftState): RaftNodeView[] {
  return CLUSTER_NODES.map((id) => {
    const n = state.nodes[id];
    return {
      id,
      dc: CLUSTER_NODE_DC[id],
      role: n.crashed ? 'crashed' : n.role,
      term: n.term,
      votedFor: n.votedFor,
      leaderId: n.leaderId,
      timeoutProgress: timeoutProgress(state, id),
      logLength: n.log.size,
      commitIndex: n.commitIndex,
    };
  });
}
