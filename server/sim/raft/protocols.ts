/**
 * "Same partition, other protocols": where 2PC, 3PC, Paxos/Raft, PBFT and a Dynamo-style AP
 * store stand on the cluster's current split. Every line is computed from who can talk to whom,
 * so a crash or a different cut changes the card.
 */
import { CLUSTER_NODES, CLUSTER_NODE_DC, MAJORITY, type ClusterDc, type ClusterNodeId, type Cut } from './cluster.ts';

/** A set of live nodes that can hold a conversation (both directions). */
export interface Group {
  /** 'all' when the link is up; otherwise the datacenter the group sits in. */
  readonly where: ClusterDc | 'all';
  readonly live: readonly ClusterNodeId[];
}

/** The split as protocols see it: groups of live nodes, plus what made them. */
export interface PartitionView {
  readonly cut: Cut;
  readonly crashed: readonly ClusterNodeId[];
  /** The link is up, or each datacenter alone. A one-way cut splits too: every protocol here needs replies. */
  readonly groups: readonly Group[];
  readonly total: number;
}

/** The groups for a cut and a set of crashed nodes: what every line of the card is computed from. */
export function partitionView(cut: Cut, crashed: readonly ClusterNodeId[]): PartitionView {
  const live = CLUSTER_NODES.filter((id) => !crashed.includes(id));
  const groups: Group[] =
    cut === 'none'
      ? [{ where: 'all', live }]
      : (['west', 'east'] as const).map((dc) => ({ where: dc, live: live.filter((id) => CLUSTER_NODE_DC[id] === dc) }));
  return { cut, crashed: CLUSTER_NODES.filter((id) => crashed.includes(id)), groups, total: CLUSTER_NODES.length };
}

/** The card's rows, in the order the lecture introduces them. */
export const PROTOCOLS = ['2PC', '3PC', 'Paxos/Raft', 'PBFT', 'Dynamo-style AP'] as const;
/** Closed, so the card has exactly one line per protocol. */
export type Protocol = (typeof PROTOCOLS)[number];

/** The verdict in one word, for the card's badge; the line says why. */
export type Verdict = 'proceeds' | 'majority-only' | 'blocks' | 'may-disagree' | 'diverges' | 'stalls';

/** One row of the card: the badge and the sentence. */
export interface ProtocolLine {
  readonly protocol: Protocol;
  readonly verdict: Verdict;
  readonly line: string;
}

const DC_NAME: Readonly<Record<ClusterDc | 'all', string>> = { west: 'West', east: 'East', all: 'The cluster' };

function list(ids: readonly ClusterNodeId[]): string {
  return ids.length === 0 ? 'nobody' : ids.join(', ');
}

function groupName(g: Group, total: number): string {
  return `${DC_NAME[g.where]} (${g.live.length} of ${total})`;
}

/** The coordinator of the commit protocols: A, the incident's primary, so the card has a fixed story. */
const COORDINATOR: ClusterNodeId = 'A';

function twoPhaseCommit(v: PartitionView): ProtocolLine {
  const home = v.groups.find((g) => g.live.includes(COORDINATOR));
  if (!home) {
    return { protocol: '2PC', verdict: 'blocks', line: `2PC blocks: coordinator ${COORDINATOR} is down, and participants that voted yes cannot decide alone; they hold their locks until it returns.` };
  }
  const missing = CLUSTER_NODES.filter((id) => !home.live.includes(id));
  if (missing.length === 0) return { protocol: '2PC', verdict: 'proceeds', line: `2PC commits: coordinator ${COORDINATOR} hears a yes from all ${v.total} nodes.` };
  return {
    protocol: '2PC',
    verdict: 'blocks',
    line: `2PC blocks: coordinator ${COORDINATOR} cannot hear from ${list(missing)}, so it cannot decide; participants that voted yes hold their locks until the link heals.`,
  };
}

function threePhaseCommit(v: PartitionView): ProtocolLine {
  const populated = v.groups.filter((g) => g.live.length > 0);
  if (populated.length > 1) {
    return {
      protocol: '3PC',
      verdict: 'may-disagree',
      line: `3PC does not block, but ${populated.map((g) => groupName(g, v.total)).join(' and ')} each time out and finish on their own: one side can commit while the other aborts.`,
    };
  }
  const live = populated[0]?.live ?? [];
  if (live.length === 0) return { protocol: '3PC', verdict: 'stalls', line: '3PC stalls: no node is up.' };
  return {
    protocol: '3PC',
    verdict: 'proceeds',
    line: `3PC proceeds: the ${live.length} live nodes (${list(live)}) take over from a crashed coordinator and finish, because with no partition a timeout means a crash.`,
  };
}

function paxosRaft(v: PartitionView): ProtocolLine {
  const able = v.groups.filter((g) => g.live.length >= MAJORITY);
  const unable = v.groups.filter((g) => g.live.length < MAJORITY);
  const need = `a majority is ${MAJORITY} of ${v.total}`;
  if (able.length === 0) return { protocol: 'Paxos/Raft', verdict: 'stalls', line: `Paxos/Raft stalls everywhere: ${need}, and ${v.groups.map((g) => groupName(g, v.total)).join(' and ')} cannot reach it.` };
  const line = `Paxos/Raft: ${able.map((g) => groupName(g, v.total)).join(', ')} has a majority and proceeds` + (unable.length ? `; ${unable.map((g) => groupName(g, v.total)).join(', ')} stalls (${need}).` : '.');
  return { protocol: 'Paxos/Raft', verdict: unable.some((g) => g.live.length > 0) ? 'majority-only' : 'proceeds', line };
}

function pbft(v: PartitionView): ProtocolLine {
  // n >= 3f + 1 bounds the Byzantine nodes tolerated; two quorums must share f + 1 nodes, so q = ceil((n + f + 1) / 2).
  const f = Math.floor((v.total - 1) / 3);
  const quorum = Math.ceil((v.total + f + 1) / 2);
  const able = v.groups.filter((g) => g.live.length >= quorum);
  const head = `PBFT with ${v.total} nodes tolerates f = ${f} faulty (n ≥ 3f+1) and needs quorums of ${quorum}`;
  if (able.length === 0) return { protocol: 'PBFT', verdict: 'stalls', line: `${head}: ${v.groups.map((g) => groupName(g, v.total)).join(' and ')} cannot reach one, so it stalls.` };
  return { protocol: 'PBFT', verdict: v.groups.length > 1 ? 'majority-only' : 'proceeds', line: `${head}: ${able.map((g) => groupName(g, v.total)).join(', ')} reaches one and proceeds.` };
}

function dynamo(v: PartitionView): ProtocolLine {
  const accepting = v.groups.filter((g) => g.live.length > 0);
  if (accepting.length === 0) return { protocol: 'Dynamo-style AP', verdict: 'stalls', line: 'Dynamo-style AP stalls: no node is up.' };
  const names = accepting.map((g) => groupName(g, v.total)).join(' and ');
  if (accepting.length === 1) return { protocol: 'Dynamo-style AP', verdict: 'proceeds', line: `Dynamo-style AP (W = 1): ${names} accepts every write and stays in sync.` };
  return { protocol: 'Dynamo-style AP', verdict: 'diverges', line: `Dynamo-style AP (W = 1): ${names} both accept writes and diverge; vector clocks find the conflicts at the heal.` };
}

/** One line per protocol for the board's card, computed from the split and the crashed nodes. */
export function otherProtocols(view: PartitionView): ProtocolLine[] {
  return [twoPhaseCommit(view), threePhaseCommit(view), paxosRaft(view), pbft(view), dynamo(view)];
}
