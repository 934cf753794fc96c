import { N, isCut } from './vocab.ts';
import { NODES, NODE_DC, type DcId, type NodeId, type SimState } from './types.ts';

/** The nodes a datacenter can get answers from: all five on a working (or slow) link, its own during any cut. */
export function reachableNodes(state: SimState, dc: DcId): NodeId[] {
  return isCut(state.link.mode) ? NODES.filter((n) => NODE_DC[n] === dc) : [...NODES];
}

/** What one side can do under the current W and R, and why not (CAP1–CAP3). */
export interface QuorumStatus {
  readonly dc: DcId;
  readonly reachable: readonly NodeId[];
  readonly w: number;
  readonly r: number;
  /** W + R > N: every read quorum overlaps every write quorum, so a read sees the latest write. */
  readonly overlapping: boolean;
  readonly canWrite: boolean;
  readonly canRead: boolean;
  /** One sentence for a refused write or read, for the banner; null when allowed. */
  readonly writeRefusal: string | null;
  readonly readRefusal: string | null;
}

const LABEL: Record<DcId, string> = { west: 'West', east: 'East' };

export function quorumStatus(state: SimState, dc: DcId): QuorumStatus {
  const reachable = reachableNodes(state, dc);
  const { w, r } = state.consistency;
  const canWrite = reachable.length >= w;
  const canRead = reachable.length >= r;
  // Sentences only for a refusal: a write in a working class asks this on every op.
  const reach = canWrite && canRead ? '' : `${LABEL[dc]} can reach ${reachable.length} of ${N} nodes`;
  return {
    dc,
    reachable,
    w,
    r,
    overlapping: w + r > N,
    canWrite,
    canRead,
    writeRefusal: canWrite ? null : `${reach}; writes need ${w}.`,
    readRefusal: canRead ? null : `${reach}; reads need ${r}.`,
  };
}
