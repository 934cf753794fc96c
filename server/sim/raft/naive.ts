/**
 * Naive failover, the incident's "each side thinks it has the primary" (RAFT5), beside Raft on
 * the same nodes and the same cut. A primary is promoted by whoever misses it, without terms,
 * votes or a majority, and a primary never doubts itself. Heartbeats are not simulated one by
 * one: a node hears its primary exactly while both are up and the link carries primary -> node,
 * which is all this rule looks at.
 */
import { List } from 'immutable';
import { CLUSTER_NODES, canDeliver, type ClusterCtx, type ClusterInput, type ClusterNodeId, type Cut } from './cluster.ts';

/** No candidate role and no term: that absence is the lesson. */
export type NaiveRole = 'primary' | 'replica';

/** One node of the naive cluster: what it believes, with nothing to check the belief against. */
export interface NaiveNode {
  readonly id: ClusterNodeId;
  readonly role: NaiveRole;
  /** The primary this node follows (itself when it is one). */
  readonly primary: ClusterNodeId;
  /** The last time it heard its primary: failover fires `failoverTimeoutMs` after this. */
  readonly lastContact: number;
  readonly crashed: boolean;
  /** Writes this node accepted as primary: two primaries means two diverging lists (persistent, as Raft's logs). */
  readonly writes: List<string>;
}

/** The one knob of naive failover. */
export interface NaiveConfig {
  /** How long a node waits without hearing its primary before its side promotes one. */
  readonly failoverTimeoutMs: number;
}

/** Comparable with Raft's 150–300 ms election timeouts, so the two panels move at the same pace. */
export const DEFAULT_NAIVE_CONFIG: NaiveConfig = { failoverTimeoutMs: 300 };

/** Plain data like RaftState, so the board keeps both panels' snapshots for step-back. */
export interface NaiveState {
  readonly config: NaiveConfig;
  readonly nodes: Readonly<Record<ClusterNodeId, NaiveNode>>;
  readonly cut: Cut;
  readonly now: number;
}

/** What happened, for the board's timeline; `promoted` twice during one split is the split-brain. */
export type NaiveEvent =
  | { readonly type: 'promoted'; readonly at: number; readonly node: ClusterNodeId; readonly by: ClusterNodeId }
  | { readonly type: 'writeAccepted'; readonly at: number; readonly node: ClusterNodeId; readonly value: string }
  | { readonly type: 'writeRejected'; readonly at: number; readonly node: ClusterNodeId | null; readonly value: string; readonly reason: 'no-primary' | 'not-primary' | 'crashed' }
  | { readonly type: 'crashed'; readonly at: number; readonly node: ClusterNodeId }
  | { readonly type: 'restarted'; readonly at: number; readonly node: ClusterNodeId }
  | { readonly type: 'cutSet'; readonly at: number; readonly cut: Cut };

/** The result of one naive step; like Raft's, nothing is ever refused. */
export interface NaiveStepResult {
  readonly state: NaiveState;
  readonly events: readonly NaiveEvent[];
}

type Draft = { -readonly [K in keyof NaiveState]: NaiveState[K] };
type Emit = (event: NaiveEvent) => void;

/** A cluster whose primary is A, the lowest id, as the incident's was West's. */
export function createNaive(now: number, config: Partial<NaiveConfig> = {}): NaiveState {
  const full = { ...DEFAULT_NAIVE_CONFIG, ...config };
  if (!(full.failoverTimeoutMs >= 1)) throw new RangeError(`invalid failover timeout: ${full.failoverTimeoutMs}`);
  const node = (id: ClusterNodeId): NaiveNode => ({ id, role: id === 'A' ? 'primary' : 'replica', primary: 'A', lastContact: now, crashed: false, writes: List() });
  return { config: full, nodes: { A: node('A'), B: node('B'), C: node('C'), D: node('D'), E: node('E') }, cut: 'none', now };
}

function setNode(s: Draft, id: ClusterNodeId, patch: Partial<NaiveNode>): void {
  s.nodes = { ...s.nodes, [id]: { ...s.nodes[id], ...patch } };
}

function hears(s: NaiveState, id: ClusterNodeId, from: ClusterNodeId): boolean {
  return !s.nodes[id].crashed && !s.nodes[from].crashed && canDeliver(s.cut, from, id);
}

/** Whoever a node can hold a conversation with: the failover script's view of "this side". */
function reachable(s: NaiveState, id: ClusterNodeId): ClusterNodeId[] {
  return CLUSTER_NODES.filter((other) => other === id || (hears(s, id, other) && hears(s, other, id)));
}

/** Nodes that hear their primary (or are one) are in contact as of now. */
function refresh(s: Draft): void {
  for (const id of CLUSTER_NODES) {
    const n = s.nodes[id];
    if (!n.crashed && (n.primary === id || hears(s, id, n.primary)) && n.lastContact !== s.now) setNode(s, id, { lastContact: s.now });
  }
}

/** The earliest failover: a live replica that has not heard its primary for the timeout. Ties: node order. */
function nextFailover(s: NaiveState): { at: number; node: ClusterNodeId } | null {
  let next: { at: number; node: ClusterNodeId } | null = null;
  for (const id of CLUSTER_NODES) {
    const n = s.nodes[id];
    if (n.crashed || n.primary === id || hears(s, id, n.primary)) continue;
    const at = n.lastContact + s.config.failoverTimeoutMs;
    if (next === null || at < next.at) next = { at, node: id };
  }
  return next;
}

function failover(s: Draft, by: ClusterNodeId, emit: Emit): void {
  // The lowest id this node can reach: on a split, each side picks its own.
  const chosen = reachable(s, by)[0] ?? by;
  if (s.nodes[chosen].role !== 'primary') {
    setNode(s, chosen, { role: 'primary', primary: chosen, lastContact: s.now });
    emit({ type: 'promoted', at: s.now, node: chosen, by });
  }
  for (const id of CLUSTER_NODES) {
    const n = s.nodes[id];
    if (!n.crashed && n.primary !== id && !hears(s, id, n.primary) && hears(s, id, chosen)) setNode(s, id, { primary: chosen, lastContact: s.now });
  }
}

function runUntil(s: Draft, to: number, emit: Emit, limit = Infinity): void {
  refresh(s);
  let done = 0;
  for (let next = nextFailover(s); next !== null && next.at <= to && done < limit; next = nextFailover(s), done += 1) {
    s.now = Math.max(s.now, next.at);
    refresh(s);
    failover(s, next.node, emit);
  }
  if (to !== Infinity) s.now = Math.max(s.now, to);
  refresh(s);
}

function apply(s: Draft, input: ClusterInput, emit: Emit): void {
  switch (input.type) {
    case 'advance':
      return runUntil(s, input.to, emit);
    case 'next':
      return runUntil(s, Infinity, emit, 1);
    case 'setCut':
      if (s.cut === input.cut) return;
      s.cut = input.cut;
      emit({ type: 'cutSet', at: s.now, cut: input.cut });
      return refresh(s);
    case 'crash':
      if (s.nodes[input.node].crashed) return;
      setNode(s, input.node, { crashed: true });
      return emit({ type: 'crashed', at: s.now, node: input.node });
    case 'restart':
      if (!s.nodes[input.node].crashed) return;
      // A restarted primary still believes it is primary: nothing in this rule tells it otherwise.
      setNode(s, input.node, { crashed: false, lastContact: s.now });
      emit({ type: 'restarted', at: s.now, node: input.node });
      return refresh(s);
    case 'clientWrite': {
      const id = input.node ?? CLUSTER_NODES.find((n) => !s.nodes[n].crashed && s.nodes[n].role === 'primary') ?? null;
      if (id === null) return emit({ type: 'writeRejected', at: s.now, node: null, value: input.value, reason: 'no-primary' });
      const n = s.nodes[id];
      if (n.crashed) return emit({ type: 'writeRejected', at: s.now, node: id, value: input.value, reason: 'crashed' });
      if (n.role !== 'primary') return emit({ type: 'writeRejected', at: s.now, node: id, value: input.value, reason: 'not-primary' });
      setNode(s, id, { writes: n.writes.push(input.value) });
      return emit({ type: 'writeAccepted', at: s.now, node: id, value: input.value });
    }
    default: {
      const unknown: never = input;
      throw new Error(`unknown input ${JSON.stringify(unknown)}`);
    }
  }
}

/** Naive failover's step, with Raft's input shape and timing, so one schedule drives both panels. Pure. */
export function naiveStep(state: NaiveState, input: ClusterInput, ctx: ClusterCtx): NaiveStepResult {
  const s: Draft = { ...state };
  const events: NaiveEvent[] = [];
  const emit: Emit = (e) => {
    events.push(e);
  };
  runUntil(s, ctx.now, emit);
  apply(s, input, emit);
  return { state: s, events };
}

/** Live nodes that believe they are primary: two of them is the split-brain (RAFT5). */
export function primaries(state: NaiveState): ClusterNodeId[] {
  return CLUSTER_NODES.filter((id) => !state.nodes[id].crashed && state.nodes[id].role === 'primary');
}

/** When the next failover fires if nothing changes; null when every node hears its primary. */
export function nextFailoverAt(state: NaiveState): number | null {
  return nextFailover(state)?.at ?? null;
}
