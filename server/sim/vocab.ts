/**
 * The one vocabulary of Split-Brain Lab (VOC1): the ids, labels, modes, presets and rules that the
 * core, the protocol and the pages all speak. Defined here once, in the pure core; the protocol
 * re-exports it (the only thing it may import from server/sim) and adds only what belongs to the
 * wire. Change a word, a preset or the link rule here and every screen follows.
 */

/** The two simulated datacenters. Closed: every switch over it ends in a `never` check. */
export const DATACENTERS = ['west', 'east'] as const;
export type DcId = (typeof DATACENTERS)[number];

/** Display labels: colour is never the only signal (West is blue, East is amber). */
export const DC_LABEL: Readonly<Record<DcId, string>> = { west: 'West', east: 'East' };

/** The datacenter on the other end of the link. */
export function otherDc(dc: DcId): DcId {
  return dc === 'west' ? 'east' : 'west';
}

/** The five consensus nodes of the lecture's picture: West holds A and B, East holds C, D and E. */
export const NODES = ['A', 'B', 'C', 'D', 'E'] as const;
export type NodeId = (typeof NODES)[number];
export const NODE_DC: Readonly<Record<NodeId, DcId>> = { A: 'west', B: 'west', C: 'east', D: 'east', E: 'east' };

/** The cluster size N of the quorum maths (W + R > N). */
export const N = NODES.length;

/** The range of the instructor's clock-skew control, in ms, either way. */
export const MAX_SKEW_MS = 10_000;

/**
 * The state of the link between the datacenters (NET2, NET3). A cut holds messages at delivery;
 * a one-way cut holds one direction only; a slow link delivers everything, seconds late.
 */
export const LINK_MODES = ['up', 'slow', 'cut', 'cut-west-to-east', 'cut-east-to-west'] as const;
export type LinkMode = (typeof LINK_MODES)[number];

/** How each mode is named on every screen. */
export const LINK_MODE_LABEL: Readonly<Record<LinkMode, string>> = {
  up: 'Link up',
  slow: 'Slow link',
  cut: 'Link cut: split-brain',
  'cut-west-to-east': 'One-way cut: West to East blocked',
  'cut-east-to-west': 'One-way cut: East to West blocked',
};

/** True for any cut, one-way included: a quorum needs round trips, so either way each side is alone. */
export function isCut(mode: LinkMode): boolean {
  return mode === 'cut' || mode === 'cut-west-to-east' || mode === 'cut-east-to-west';
}

/**
 * The link-holds rule, once for everyone: whether the link holds what `from` sends in this mode.
 * The core applies it at delivery, the consensus cluster to its RPCs, the pages to say "held,
 * will replicate on heal".
 */
export function holdsFrom(mode: LinkMode, from: DcId): boolean {
  switch (mode) {
    case 'up':
    case 'slow':
      return false;
    case 'cut':
      return true;
    case 'cut-west-to-east':
      return from === 'west';
    case 'cut-east-to-west':
      return from === 'east';
    default: {
      const unknown: never = mode;
      throw new Error(`unknown link mode ${String(unknown)}`);
    }
  }
}

/** What a link mode cuts, as the consensus view names it: nothing, everything, or one direction. */
export const CUTS = ['none', 'full', 'west-to-east', 'east-to-west'] as const;
export type Cut = (typeof CUTS)[number];

/** The cut of a link mode (a slow link cuts nothing). */
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

/** The link mode that makes a cut: the way back to the one link-holds rule. */
export const LINK_MODE_OF_CUT: Readonly<Record<Cut, LinkMode>> = {
  none: 'up',
  full: 'cut',
  'west-to-east': 'cut-west-to-east',
  'east-to-west': 'cut-east-to-west',
};

/** How a heal puts the two sides back together, in the lecture's order. */
export const STRATEGIES = ['lww', 'merge', 'human'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const STRATEGY_LABEL: Readonly<Record<Strategy, string>> = {
  lww: 'Last write wins',
  merge: 'Merge everything',
  human: 'Human choice',
};

/**
 * Which part of LWW1's order decided that a write lost: the later timestamp, or on an equal
 * timestamp the delete (Cassandra's rule), or the fixed datacenter order. The heal report carries
 * the code; the pages phrase it (LWW3).
 */
export const LWW_DECIDERS = ['later-timestamp', 'delete-on-tie', 'datacenter-on-tie'] as const;
export type LwwDecider = (typeof LWW_DECIDERS)[number];

/**
 * Who may choose between a conflicted post's versions (HUM2): its author, or anyone for the pinned
 * class post (the instructor always may). The core decides it once (`whoChooses`); the views carry it.
 */
export const CHOOSERS = ['author', 'anyone'] as const;
export type Chooser = (typeof CHOOSERS)[number];

/** The lecture's quorum presets over N = 5 nodes; any other W/R pair is "custom". */
export const CONSISTENCY_PRESETS = [
  { id: 'ap', w: 1, r: 1, label: 'Both sides accept (W=1, R=1)' },
  { id: 'strict', w: 3, r: 3, label: 'Strict majority (W=3, R=3)' },
  { id: 'w1-r5', w: 1, r: 5, label: 'N=5, W=1, R=5' },
  { id: 'w5-r1', w: 5, r: 1, label: 'N=5, W=5, R=1' },
] as const;
export type ConsistencyPreset = (typeof CONSISTENCY_PRESETS)[number]['id'];

/** Which preset a W/R pair is, or null for a custom pair. */
export function presetOf(w: number, r: number): ConsistencyPreset | null {
  return CONSISTENCY_PRESETS.find((p) => p.w === w && p.r === r)?.id ?? null;
}

/** The kinds of replicated write; `resolve` is a person's choice between conflicting versions (HUM2). */
export const OP_KINDS = ['create', 'edit', 'delete', 'like', 'unlike', 'resolve'] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** Why the core refused a command. Codes are stable: the protocol passes them on and the pages show them. */
export const REJECT_CODES = [
  'unknown_participant',
  'unknown_post',
  'not_author',
  'post_deleted',
  'no_quorum',
  'locked',
  'in_conflict',
  'no_conflict',
  /** The op id was already used for another kind of write (SEC9). */
  'op_id_reused',
  'invalid',
] as const;
export type RejectCode = (typeof REJECT_CODES)[number];

/** The incident's sizes the instructor can pick: new posts per side during the 12-minute split (INC2). */
export const INCIDENT_SIZES = [1_000, 10_000, 100_000] as const;
export type IncidentSize = (typeof INCIDENT_SIZES)[number];

/** What an incident's people write, counted per side in its summary. */
export const INCIDENT_WRITE_KINDS = ['post', 'reply', 'edit', 'like', 'unlike', 'delete'] as const;
export type IncidentWriteKind = (typeof INCIDENT_WRITE_KINDS)[number];
