import { isCut } from './network.ts';
import { NODES, NODE_DC, type DcId, type NodeId, type SimState } from './types.ts';

/** The cluster size of the lecture's picture: West holds A and B, East holds C, D and E. */
export const N = NODES.length;

/** Named quorum settings from the lecture; any other W/R pair is "custom". */
export const CONSISTENCY_PRESETS = {
  ap: { w: 1, r: 1, label: 'Both sides accept (W=1, R=1)' },
  strict: { w: 3, r: 3, label: 'Strict majority (W=3, R=3)' },
  'w1-r5': { w: 1, r: 5, label: 'N=5, W=1, R=5' },
  'w5-r1': { w: 5, r: 1, label: 'N=5, W=5, R=1' },
} as const;
export type ConsistencyPreset = keyof typeof CONSISTENCY_PRESETS;

/** Which preset a W/R pair is, or null for a custom pair. */
export function presetOf(w: number, r: number): ConsistencyPreset | null {
  for (const [name, preset] of Object.entries(CONSISTENCY_PRESETS)) if (preset.w === w && preset.r === r) return name as ConsistencyPreset;
  return null;
}

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
