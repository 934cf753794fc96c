import { likeCount } from './replica.ts';
import type { SimState } from './types.ts';
import { compareVV } from './vv.ts';

/** How far apart the two datacenters are: the board's divergence meter. */
export interface Divergence {
  readonly onlyWest: number;
  readonly onlyEast: number;
  /** Posts both sides changed since they last agreed: concurrent version vectors (VV1). */
  readonly changedOnBoth: number;
  /** Posts both sides hold with a different number of likes. */
  readonly likesDiffer: number;
}

export function divergence(state: SimState): Divergence {
  const west = state.replicas.west.posts;
  const east = state.replicas.east.posts;
  let onlyWest = 0;
  let onlyEast = 0;
  let changedOnBoth = 0;
  let likesDiffer = 0;
  for (const [id, w] of Object.entries(west)) {
    const e = east[id];
    if (!w.created) continue;
    if (!e?.created) {
      onlyWest += 1;
      continue;
    }
    if (compareVV(w.vv, e.vv) === 'concurrent') changedOnBoth += 1;
    if (likeCount(w) !== likeCount(e)) likesDiffer += 1;
  }
  for (const [id, e] of Object.entries(east)) if (e.created && !west[id]?.created) onlyEast += 1;
  return { onlyWest, onlyEast, changedOnBoth, likesDiffer };
}
