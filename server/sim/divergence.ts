import { applyOps } from './replica.ts';
import type { DcId, Divergence, Op, Post, SimState } from './types.ts';
import { compareVV } from './vv.ts';

export type { Divergence } from './types.ts';

/** Both replicas agree: the meter after a reset or a heal. */
export const NO_DIVERGENCE: Divergence = { onlyWest: 0, onlyEast: 0, changedOnBoth: 0, likesDiffer: 0 };

/** The board's divergence meter: O(1), the counters are kept as ops arrive. */
export function divergence(state: SimState): Divergence {
  return state.divergence;
}

type Counters = { -readonly [K in keyof Divergence]: number };

/** What one post adds to the meter, given West's and East's copies of it. */
function contribute(into: Counters, w: Post | undefined, e: Post | undefined, sign: 1 | -1): void {
  const inWest = w?.created === true;
  const inEast = e?.created === true;
  if (inWest && !inEast) into.onlyWest += sign;
  else if (inEast && !inWest) into.onlyEast += sign;
  else if (w && e && inWest && inEast) {
    if (compareVV(w.vv, e.vv) === 'concurrent') into.changedOnBoth += sign;
    if (w.likeTotal !== e.likeTotal) into.likesDiffer += sign;
  }
}

/**
 * Applies ops to one datacenter's replica and moves the meter by what each touched post
 * contributed before and after: O(1) per op, instead of rescanning both replicas. During a split
 * it also keeps each post's copy from before the split first changed it here (split.ts).
 */
export function applyTracked(state: SimState, dc: DcId, ops: Iterable<Op>, local: boolean): SimState {
  const other = state.replicas[dc === 'west' ? 'east' : 'west'].posts;
  const counters: Counters = { ...state.divergence };
  const { split } = state;
  let saved = split?.before[dc];
  const replica = applyOps(state.replicas[dc], ops, local, (before, after) => {
    if (saved && !saved.has(after.id)) saved = saved.set(after.id, before ?? null);
    const there = other.get(after.id);
    if (dc === 'west') {
      contribute(counters, before, there, -1);
      contribute(counters, after, there, 1);
    } else {
      contribute(counters, there, before, -1);
      contribute(counters, there, after, 1);
    }
  });
  if (replica === state.replicas[dc]) return state;
  const nextSplit = split && saved && saved !== split.before[dc] ? { ...split, before: { ...split.before, [dc]: saved } } : split;
  return { ...state, replicas: { ...state.replicas, [dc]: replica }, divergence: counters, split: nextSplit };
}
