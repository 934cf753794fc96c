/** The five-node cluster the consensus view runs on, and the link rule both simulations share. */
import { NODES, NODE_DC, type DcId, type LinkMode, type NodeId } from '../types.ts';

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

/**
 * The state of the West–East link as the consensus view sees it. A full cut blocks both ways;
 * a one-way cut blocks only messages leaving the named side. Inside a datacenter messages
 * always flow.
 */
export const CUTS = ['none', 'full', 'west-to-east', 'east-to-west'] as const;
/** Closed: every switch over a cut ends in a `never` check. */
export type Cut = (typeof CUTS)[number];

/** True when the link lets a message from `from` reach `to` under `cut`. */
export function canDeliver(cut: Cut, from: ClusterNodeId, to: ClusterNodeId): boolean {
  const a = CLUSTER_NODE_DC[from];
  const b = CLUSTER_NODE_DC[to];
  if (a === b) return true;
  switch (cut) {
    case 'none':
      return true;
    case 'full':
      return false;
    case 'west-to-east':
      return a !== 'west';
    case 'east-to-west':
      return a !== 'east';
    default: {
      const unknown: never = cut;
      throw new Error(`unknown cut ${String(unknown)}`);
    }
  }
}

/**
 * The consensus view's cut for a feed link mode (LINK_MODES in types.ts), so one admin control
 * drives both. A slow link still delivers, so for elections it is no cut.
 */
export function cutOfLinkMode(mode: LinkMode): Cut {
  switch (mode) {
    case 'up':
    case 'slow':
      return 'none';
    case 'cut':
      return 'full';
    case 'cut-west-to-east':
      return 'west-to-east';
    case 'cut-east-to-west':
      return 'east-to-west';
    default: {
      const unknown: never = mode;
      throw new Error(`unknown link mode ${String(unknown)}`);
    }
  }
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
