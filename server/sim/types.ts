/**
 * The model of a Split-Brain Lab session. Records are plain data; collections that grow with the
 * session are Immutable.js persistent maps and lists, so a step costs O(log n) in the session's
 * size instead of copying it, and an id like `__proto__` is just a key (REL4). No Dates, no
 * classes of our own: `snapshotOf` (snapshot.ts) turns a state into JSON and back exactly.
 */
import type { List, Map as IMap, Set as ISet } from 'immutable';
import type { Chooser, DcId, IncidentWriteKind, LinkMode, LwwDecider, OpKind, RejectCode, Strategy } from './vocab.ts';
import type { RewindLedger } from './rewind.ts';
import type { ConsensusAct } from './raft/player.ts';

export { DATACENTERS, NODES, NODE_DC, OP_KINDS, STRATEGIES, LINK_MODES, REJECT_CODES, INCIDENT_WRITE_KINDS } from './vocab.ts';
export type { DcId, NodeId, OpKind, Strategy, LinkMode, RejectCode, IncidentWriteKind, LwwDecider, Chooser } from './vocab.ts';

/** A version vector over the two datacenters: how many writes to one object each side has made (VV1). */
export type VersionVector = Readonly<Record<DcId, number>>;

export type ParticipantId = string;
export type PostId = string;
export type OpId = string;

/** The id of the pinned class post, which exists from the start and anyone may edit. */
export const PINNED_POST_ID: PostId = 'pinned';

export interface Participant {
  readonly id: ParticipantId;
  readonly name: string;
  /** Where this person's writes originate; balanced on join, moved by failover. */
  readonly home: DcId;
  readonly joinedAt: number;
}

/** One replicated write. Every field a receiving replica needs to merge it deterministically. */
export interface Op {
  readonly opId: OpId;
  readonly kind: OpKind;
  readonly postId: PostId;
  readonly author: ParticipantId;
  /** Set on `create`: the post replied to, or null for a top-level post. */
  readonly parentId?: PostId | null;
  /** Set on `create`, `edit` and `resolve`. */
  readonly text?: string;
  /** Set on `resolve`: whether the chosen version is a deleted one. */
  readonly deleted?: boolean;
  /**
   * Set on `resolve`: who wrote the chosen version's text, and when on their clock. The choice is
   * the chooser's write, but the text stays its writer's: "edited by Ben", not by whoever chose.
   */
  readonly textBy?: ParticipantId;
  readonly textWall?: number;
  readonly origin: DcId;
  /** The origin datacenter's wall clock when it accepted the op: server time plus its skew (CLK1). */
  readonly wall: number;
  /** The origin's Lamport time after accepting the op (CLK1). */
  readonly lamport: number;
  /** The object's version vector after this op, at its origin (VV1). */
  readonly vv: VersionVector;
  /**
   * Server time when it was accepted. No merge rule reads it (a real datacenter cannot know the
   * true time); the heal report uses it to explain a loss: "your clock was 4.0 s behind".
   */
  readonly at: number;
}


/**
 * Who wrote a register and when. The foundation's merge rule orders stamps by
 * (Lamport time, datacenter order, op id): see `compareStamps` in replica.ts.
 */
export interface Stamp {
  readonly lamport: number;
  readonly wall: number;
  readonly origin: DcId;
  readonly opId: OpId;
  readonly by: ParticipantId;
}

/** A person's like on a post: the latest like/unlike by that person wins (an LWW element per liker). */
export interface LikeMark extends Stamp {
  readonly on: boolean;
}

export interface Post {
  readonly id: PostId;
  /** False while only later ops on this post have arrived and its `create` is still on the link. */
  readonly created: boolean;
  readonly author: ParticipantId;
  readonly parentId: PostId | null;
  readonly text: string;
  readonly deleted: boolean;
  readonly createdAt: number;
  readonly createdIn: DcId;
  /** Who wrote the current text, and when (the text register); null until a create or edit arrives. */
  readonly textStamp: Stamp | null;
  /** The delete register; null while never deleted. */
  readonly deleteStamp: Stamp | null;
  /** Each person's latest like or unlike of this post (an LWW element per liker). */
  readonly likes: IMap<ParticipantId, LikeMark>;
  /** How many marks in `likes` are on: kept with them so a count is O(1). */
  readonly likeTotal: number;
  /** A choice (resolve op) or a merge-all heal that brought a deleted post back: it outranks older deletes. */
  readonly restoreStamp: Stamp | null;
  /** Under human choice, the versions in conflict after a heal (HUM2), one per side; null when none. */
  readonly siblings: readonly Sibling[] | null;
  /** Under merge-all, the post this one duplicates: the other side's version of it (MRG1). */
  readonly duplicateOf: PostId | null;
  readonly vv: VersionVector;
  /** The Lamport time of the newest op applied to this post here. */
  readonly lamport: number;
}

/** One side's version of a post in conflict, kept until a person chooses (HUM2, HUM3). */
export interface Sibling {
  readonly dc: DcId;
  readonly text: string;
  readonly deleted: boolean;
  readonly vv: VersionVector;
  /** Who wrote this version's content, on their datacenter's clock. */
  readonly by: ParticipantId;
  readonly wall: number;
  readonly lamport: number;
  /** Who wrote this version's text, and when on their clock (a like or reply on the other side is `by`, not this). */
  readonly textBy: ParticipantId;
  readonly textWall: number;
}


/** One datacenter's copy of the data. */
export interface Replica {
  readonly dc: DcId;
  readonly posts: IMap<PostId, Post>;
  /** The datacenter's Lamport counter (CLK1). */
  readonly lamport: number;
  /** Op ids applied here, so a re-sent op is applied once (REL2); a Set, so no id is special (REL4). */
  readonly applied: ISet<OpId>;
  /** How many posts here carry siblings: the conflicts remaining (HUM3), kept as posts change. */
  readonly conflicts: number;
}

/** A replication message on the simulated link. The network is data: delivery is a rule applied at `deliverAt`. */
export interface Message {
  readonly seq: number;
  readonly from: DcId;
  readonly to: DcId;
  readonly op: Op;
  readonly sentAt: number;
  readonly deliverAt: number;
}


export interface LinkSettings {
  /** One-way delay of a replication message, in ms. */
  readonly latencyMs: number;
  /** Extra random delay in [0, jitterMs): large enough, it reorders messages (NET1). */
  readonly jitterMs: number;
  readonly mode: LinkMode;
  /** When the current mode began (server time); null while the link has always been up. */
  readonly since: number | null;
  /** The latency of the slow-link mode, in ms. */
  readonly slowLatencyMs: number;
}

/** Quorum sizes over the N = 5 nodes: a write needs W acknowledgements, a read R answers (CAP1–CAP3). */
export interface Consistency {
  readonly w: number;
  readonly r: number;
}

/** The instructor's switches that are not about the network. */
export interface ClassSettings {
  /** When true, students cannot move themselves to the other datacenter (failover stays the instructor's). */
  readonly switchLocked: boolean;
}

/**
 * The messages one datacenter has sent and the other has not yet received: a blocked lane is never
 * scanned, one whose `earliest` is in the future is skipped. What a heal needs to know about the
 * split is kept apart, in `Split`, because a one-way cut delivers some of it before the heal.
 */
export interface Lane {
  /** In send order (increasing `seq`). */
  readonly messages: List<Message>;
  /** The smallest `deliverAt` in `messages`; null when empty. */
  readonly earliest: number | null;
}

/** The ops one side wrote during a split, indexed as they are written: O(log n) per op, no scan at heal. */
export interface Written {
  /** In the order written. */
  readonly ops: List<Op>;
  /** The same ops grouped by the post they write, in the order written. */
  readonly byPost: IMap<PostId, List<Op>>;
  /** The `create` ops of replies, grouped by the post they reply to (HUM4, MRG3). */
  readonly replies: IMap<PostId, List<Op>>;
}

/**
 * A split, from the moment the link leaves 'up' or 'slow' for any cut until it is fully open
 * again. A one-way cut lets one side's writes through with the link-up rule (highest Lamport
 * wins), so the replicas alone cannot tell the heal what each side wrote on its own: this can.
 * The strategies settle every post written on both sides as if nothing had crossed early.
 */
export interface Split {
  /** When the split began (server time). */
  readonly since: number;
  /** Per side: what it wrote during the split, and what was still on the link when it began. */
  readonly written: Readonly<Record<DcId, Written>>;
  /**
   * Per side: each post as it was there before the split first changed it (null: it did not exist
   * there). A post absent from this map is unchanged there since the split began.
   */
  readonly before: Readonly<Record<DcId, IMap<PostId, Post | null>>>;
}

/** How far apart the two datacenters are: the board's divergence meter, kept up to date per op. */
export interface Divergence {
  readonly onlyWest: number;
  readonly onlyEast: number;
  /** Posts both sides changed since they last agreed: concurrent version vectors (VV1). */
  readonly changedOnBoth: number;
  /** Posts both sides hold with a different number of likes. */
  readonly likesDiffer: number;
}

export interface SimState {
  readonly participants: IMap<ParticipantId, Participant>;
  readonly replicas: Readonly<Record<DcId, Replica>>;
  readonly link: LinkSettings;
  readonly consistency: Consistency;
  readonly settings: ClassSettings;
  /** Per-datacenter clock skew in ms: a datacenter's wall clock is server time plus its skew (CLK1). */
  readonly skew: Readonly<Record<DcId, number>>;
  /** Replication messages sent and not yet delivered, by sending datacenter. */
  readonly inFlight: Readonly<Record<DcId, Lane>>;
  /** The split under way, with what each side wrote during it; null while the link is up or slow. */
  readonly split: Split | null;
  readonly nextMessageSeq: number;
  /** The seeded PRNG's state: randomness is part of the state, so a replay draws the same numbers. */
  readonly rng: number;
  /** The newest time the core has seen: a step never moves time backwards. */
  readonly now: number;
  /** The resolution strategy the next heal uses. */
  readonly strategy: Strategy;
  /** What the last heal did: the board's report and each person's ledger. */
  readonly lastHeal: HealReport | null;
  /**
   * Every op id this session has accepted, with its kind, for the life of the session: a reset
   * keeps it, so a retry after a reset is still applied once (REL5), and an id reused for
   * another kind of write is refused (SEC9).
   */
  readonly opKinds: IMap<OpId, OpKind>;
  /** The divergence meter, updated as ops touch posts (divergence.ts). */
  readonly divergence: Divergence;
  /** The state before the last heal and what came after it, for `heal.rewind` (rewind.ts). */
  readonly rewind: RewindLedger;
}

/** What the adapters tell the core. Closed union: `step` switches over it exhaustively. */
export type Command =
  | { readonly type: 'participant.join'; readonly participantId: ParticipantId; readonly name: string }
  | { readonly type: 'post.create'; readonly opId: OpId; readonly participantId: ParticipantId; readonly parentId: PostId | null; readonly text: string }
  | { readonly type: 'post.edit'; readonly opId: OpId; readonly participantId: ParticipantId; readonly postId: PostId; readonly text: string }
  | { readonly type: 'post.delete'; readonly opId: OpId; readonly participantId: ParticipantId; readonly postId: PostId }
  | { readonly type: 'post.like'; readonly opId: OpId; readonly participantId: ParticipantId; readonly postId: PostId }
  | { readonly type: 'post.unlike'; readonly opId: OpId; readonly participantId: ParticipantId; readonly postId: PostId }
  | { readonly type: 'link.configure'; readonly latencyMs: number; readonly jitterMs: number }
  /** Cut, one-way cut, slow link, or heal (mode 'up'): the heal delivers everything held. */
  | { readonly type: 'link.mode'; readonly mode: LinkMode; readonly slowLatencyMs?: number }
  | { readonly type: 'clock.skew'; readonly dc: DcId; readonly skewMs: number }
  | { readonly type: 'consistency.set'; readonly w: number; readonly r: number }
  /** Failover: the instructor moves a person to a datacenter (FO1). */
  | { readonly type: 'participant.move'; readonly participantId: ParticipantId; readonly to: DcId }
  /** A student roams to the other datacenter themselves, unless the instructor locked it. */
  | { readonly type: 'participant.switch'; readonly participantId: ParticipantId }
  | { readonly type: 'settings.lockSwitch'; readonly locked: boolean }
  | { readonly type: 'strategy.set'; readonly strategy: Strategy }
  /**
   * A choice between conflicting versions (HUM2): keep one side's, or both (the other becomes a
   * post of its own). By the author; anyone for the pinned post; the instructor (no participant,
   * writing from `dc`) for any post.
   */
  | {
      readonly type: 'conflict.resolve';
      readonly opId: OpId;
      readonly participantId: ParticipantId | null;
      readonly dc?: DcId;
      readonly postId: PostId;
      readonly keep: DcId | 'both';
    }
  | { readonly type: 'session.reset' }
  /** Back to just before heal `healIndex` (the last heal), to heal the same history another way (rewind.ts). */
  | { readonly type: 'heal.rewind'; readonly healIndex: number }
  /**
   * The seed's incident, replayed (INC1): a 12-minute split placed in the past, both sides filled
   * from the seed's script (incident.ts). Logged as this one command; replay regenerates the script.
   * `runId` prefixes its op and participant ids, so a second replay in one session uses new ones (REL5).
   */
  | { readonly type: 'incident.replay'; readonly seed: number; readonly size: number; readonly runId: string }
  /**
   * The instructor's action on the consensus view. The core only notes it (an event, no state):
   * logged with its time, it is the consensus view's journal, replayed by server/sim/raft/player.ts.
   */
  | { readonly type: 'consensus.act'; readonly act: ConsensusAct }
  /** Deliver what is due. Never logged: any later command delivers what was due before it. */
  | { readonly type: 'tick' };

export type CommandType = Command['type'];

/** The only things the core takes from outside: the current server time. */
export interface Ctx {
  readonly now: number;
}

/** What happened, for the adapters to persist nothing of (the log is the commands) and broadcast. */
export type SimEvent =
  | { readonly type: 'participant.joined'; readonly participant: Participant }
  /** `at`: server time it took effect there (a delivery's `deliverAt`, or the heal that released it). */
  | { readonly type: 'op.applied'; readonly dc: DcId; readonly op: Op; readonly local: boolean; readonly at: number }
  | { readonly type: 'participant.moved'; readonly participant: Participant; readonly from: DcId }
  /** Any of link, skew, consistency, strategy or class settings changed. */
  | { readonly type: 'settings.changed' }
  /** A heal resolved the divergence; `touched` lists every post whose view changed beyond its ops. */
  | { readonly type: 'heal.resolved'; readonly report: HealReport; readonly touched: readonly PostId[] }
  | { readonly type: 'session.reset' }
  /** A heal was rewound: every view changed; `queued` writes wait for the next heal. */
  | { readonly type: 'heal.rewound'; readonly healIndex: number; readonly healAt: number; readonly queued: number }
  /** An incident was replayed: one summary, not one event per op, so a broadcast stays small. */
  | { readonly type: 'incident.replayed'; readonly summary: IncidentSummary }
  /** The instructor acted on the consensus view (noted, for its journal). */
  | { readonly type: 'consensus.acted'; readonly act: ConsensusAct };

/** What a replayed incident did: the board's counts, and what the INC1 tests compare with the script. */
export interface IncidentSummary {
  readonly seed: number;
  readonly size: number;
  readonly runId: string;
  /** Server time the story's split began (the link's `since`); the script ran from 3 minutes before it. */
  readonly splitAt: number;
  /** Script steps applied (joins and moves included), and those the core refused and skipped. */
  readonly applied: number;
  readonly refused: number;
  readonly people: number;
  /** Posts written before the split, which both sides hold. */
  readonly shared: number;
  /** Writes each side accepted during the split, by kind. */
  readonly perSide: Readonly<Record<DcId, Readonly<Record<IncidentWriteKind, number>>>>;
}


export interface Rejection {
  readonly code: RejectCode;
  readonly message: string;
}

/** The result of one step: the new state and its events, or a refusal that changed nothing. */
export type StepResult =
  | { readonly ok: true; readonly state: SimState; readonly events: readonly SimEvent[] }
  | { readonly ok: false; readonly error: Rejection };

// ---- heal reports ------------------------------------------------------------------------------

/** One side's write as the report shows it: whose, where, on which clock, and the true time. */
export interface WriteRef {
  readonly opId: OpId;
  readonly kind: OpKind;
  readonly by: ParticipantId;
  readonly dc: DcId;
  readonly wall: number;
  readonly at: number;
  readonly text?: string;
}

/** LWW3: a write the heal discarded, and why it lost. */
export interface LostWrite {
  readonly postId: PostId;
  readonly lost: WriteRef;
  readonly winner: WriteRef;
  /** Which part of LWW1's order decided: facts, not words (the pages phrase them, LWW3). */
  readonly decidedBy: LwwDecider;
  /** How much later the winner's timestamp was on the clocks; 0 on a tie. */
  readonly aheadMs: number;
  /** Set when skew decided it: the loser was written later in true time, on a clock that was behind. */
  readonly skew: SkewFact | null;
}

/** LWW3's "your clock was 4.0 s behind": how far behind the loser's clock was, and how much later it really wrote. */
export interface SkewFact {
  /** The loser's clock minus the winner's, against true time, as a positive number of ms. */
  readonly behindMs: number;
  /** How much later in true (server) time the losing write was made. */
  readonly laterMs: number;
}

/** MRG2: likes added on each side during the split, merged as a CRDT (a set of likers). */
export interface LikeMerge {
  readonly postId: PostId;
  readonly west: number;
  readonly east: number;
  readonly total: number;
}

/** HUM2: a post left in conflict for a person to choose. */
export interface ConflictRef {
  readonly postId: PostId;
  readonly author: ParticipantId;
  /** Who may choose (HUM2): the author, or anyone for the pinned class post. */
  readonly mayChoose: Chooser;
  readonly siblings: readonly Sibling[];
}

export interface HealReport {
  readonly strategy: Strategy;
  readonly at: number;
  /** Messages the link held, by sending side. */
  readonly held: Readonly<Record<DcId, number>>;
  /** LWW: every discarded edit, delete, like and unlike (LWW1–LWW3). */
  readonly lost: readonly LostWrite[];
  /** Merge-all: the post kept and the duplicate made from the other side's version (MRG1). */
  readonly duplicates: readonly { readonly postId: PostId; readonly duplicateId: PostId; readonly by: ParticipantId }[];
  /** Replies now under a deleted parent (MRG3). */
  readonly brokenThreads: readonly { readonly postId: PostId; readonly parentId: PostId; readonly by: ParticipantId }[];
  /** Likes given on one side to a post deleted on the other (MRG3). */
  readonly phantomLikes: readonly { readonly postId: PostId; readonly by: ParticipantId }[];
  /** Posts deleted on one side and edited on the other, brought back by merge-all (MRG3). */
  readonly resurrected: readonly { readonly postId: PostId; readonly deletedBy: ParticipantId; readonly editedBy: ParticipantId }[];
  readonly likeMerges: readonly LikeMerge[];
  /** Human choice: conflicts left for people to resolve (HUM2). */
  readonly conflicts: readonly ConflictRef[];
}
