import { DATACENTERS, type DcId, type VersionVector } from './types.ts';

/** The empty vector: an object no datacenter has written. */
export const ZERO_VV: VersionVector = { west: 0, east: 0 };

/** How two version vectors relate (VV1). Only `concurrent` versions are conflicts. */
export type VvOrder = 'equal' | 'before' | 'after' | 'concurrent';

/** Compares `a` with `b`: `before` means b has seen everything a has, and more. */
export function compareVV(a: VersionVector, b: VersionVector): VvOrder {
  let aAhead = false;
  let bAhead = false;
  for (const dc of DATACENTERS) {
    if (a[dc] > b[dc]) aAhead = true;
    if (b[dc] > a[dc]) bAhead = true;
  }
  if (aAhead && bAhead) return 'concurrent';
  if (aAhead) return 'after';
  if (bAhead) return 'before';
  return 'equal';
}

/** True when `a` has seen at least everything `b` has (a dominates or equals b). */
export function vvCovers(a: VersionVector, b: VersionVector): boolean {
  const order = compareVV(a, b);
  return order === 'equal' || order === 'after';
}

/** The pointwise maximum: what a replica knows after seeing both. Commutative and idempotent. */
export function mergeVV(a: VersionVector, b: VersionVector): VersionVector {
  return { west: Math.max(a.west, b.west), east: Math.max(a.east, b.east) };
}

/** One more write at `dc`. */
export function bumpVV(v: VersionVector, dc: DcId): VersionVector {
  return { ...v, [dc]: v[dc] + 1 };
}

/** The lecture's notation, `{W:2, E:1}`. */
export function formatVV(v: VersionVector): string {
  return `{W:${v.west}, E:${v.east}}`;
}
