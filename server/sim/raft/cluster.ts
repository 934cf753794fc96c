/** The five-node cluster the consensus view runs on, and the link rule both simulations share. */
import { NODES, NODE_DC, type DcId, type NodeId } from '../types.ts';
import { LINK_MODE_OF_CUT, holdsFrom, type Cut } from '../vocab.ts';

export { nextRandom } from '../rng.ts';

/** The two datacenters. */
export type ClusterDc = DcId;
/** The lecture's five nodes, in the order every tie-break uses. */
export const CLUSTER_NODES = NODES;
export type ClusterNodeId = NodeId;
/** West holds A and B, East holds C, D and E: the [A,B] | [C,D,E] split of the lecture. */
export const CLUSTER_NODE_DC = NODE_DC;

/** A quorum of the five members. Crashed members still count: membership does not shrink when a node dies. */
export const MAJORITY = Math.floor(CLUSTER_NODES.length / 2) + 1;

/** The consensus view's cut for a feed link mode: one admin control drives both (a slow link is no cut for elections). */
export { CUTS, cutOfLinkMode, type Cut } from '../vocab.ts';

/** True when the link lets a message from `from` reach `to` under `cut`: the one link-holds rule, node to node. */
export function canDeliver(cut: Cut, from: ClusterNodeId, to: ClusterNodeId): boolean {
  const a = CLUSTER_NODE_DC[from];
  return a === CLUSTER_NODE_DC[to] || !holdsFrom(LINK_MODE_OF_CUT[cut], a);
}

/**
 * What the board and the admin send to a cluster simulation. Raft and naive failover take the
 * same inputs, so one schedule drives both side by side.
 */
export type ClusterInput =
  /** Run every timer and delivery due up to `to`, in time order. */
  | { readonly type: 'advance'; readonly to: number }
  /** Run exactly one event, the earliest due (the admin's "step one event"). */
  | { readonly type: 'next' }
  | { readonly type: 'setCut'; readonly cut: Cut }
  | { readonly type: 'crash'; readonly node: ClusterNodeId }
  | { readonly type: 'restart'; readonly node: ClusterNodeId }
  /** A client write, sent to `node`, or when omitted to the node a client would find as leader/primary. */
  | { readonly type: 'clientWrite'; readonly value: string; readonly node?: ClusterNodeId };

/**
 * When an input arrives. Every input first runs the cluster up to `now` (time never moves
 * backwards), as the feed core's `step` does; a paused board passes the state's own `now`.
 */
export interface ClusterCtx {
  readonly now: number;
}
