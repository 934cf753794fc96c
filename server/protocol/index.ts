/**
 * The one contract between the browser and the server: event maps for both directions, zod
 * schemas for every inbound payload, the Ack shape and the views the server sends.
 * The pages import this module and nothing else from server/.
 */
import { z } from 'zod';

// SEC8: pages run under a CSP without 'unsafe-eval'. Zod would probe for eval to compile its
// parsers (a reported violation in every page's console); the browser validates nothing hot.
if (typeof window !== 'undefined') z.config({ jitless: true });

/** Bumped on any incompatible change; the client sends it on connect and the server refuses a mismatch. */
export const PROTOCOL_VERSION = 1;

export const DC_IDS = ['west', 'east'] as const;
export type Dc = (typeof DC_IDS)[number];

/** Display labels: colour is never the only signal (West is blue, East is amber). */
export const DC_LABEL: Readonly<Record<Dc, string>> = { west: 'West', east: 'East' };

export const LIMITS = {
  postChars: 500,
  nameChars: 40,
  maxLatencyMs: 10_000,
  maxJitterMs: 5_000,
  maxSkewMs: 10_000,
  nodes: 5,
} as const;

/** The link's modes (NET2, NET3): up, slow (seconds of latency), a full cut, or a one-way cut. */
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

/** Any cut, full or one-way: each side is alone for quorums, and a heal will follow. */
export function isCutMode(mode: LinkMode): boolean {
  return mode === 'cut' || mode === 'cut-west-to-east' || mode === 'cut-east-to-west';
}

/**
 * Whether the link holds what `from` sends in this mode: the pages' "held, will replicate on
 * heal". The core applies the same rule at delivery (server/sim/network.ts, which may import
 * nothing outside server/sim).
 */
export function holdsFrom(mode: LinkMode, from: Dc): boolean {
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

/** The lecture's quorum presets over N = 5 nodes. */
export const CONSISTENCY_PRESETS = [
  { id: 'ap', w: 1, r: 1, label: 'Both sides accept (W=1, R=1)' },
  { id: 'strict', w: 3, r: 3, label: 'Strict majority (W=3, R=3)' },
  { id: 'w1-r5', w: 1, r: 5, label: 'N=5, W=1, R=5' },
  { id: 'w5-r1', w: 5, r: 1, label: 'N=5, W=5, R=1' },
] as const;

/** The five nodes: West holds A and B, East holds C, D and E. */
export const NODE_IDS = ['A', 'B', 'C', 'D', 'E'] as const;
export const NODE_HOME: Readonly<Record<(typeof NODE_IDS)[number], Dc>> = { A: 'west', B: 'west', C: 'east', D: 'east', E: 'east' };

/** The incident's sizes the instructor can pick: new posts per side during the 12-minute split (INC2). */
export const INCIDENT_SIZES = [1_000, 10_000, 100_000] as const;
export type IncidentSize = (typeof INCIDENT_SIZES)[number];
/** What the server is doing while it replays an incident: the progress bar's label. */
export const INCIDENT_PHASES = ['generating', 'storing', 'healing'] as const;
export type IncidentPhase = (typeof INCIDENT_PHASES)[number];
export const INCIDENT_WRITE_KINDS = ['post', 'reply', 'edit', 'like', 'unlike', 'delete'] as const;
export type IncidentWriteKind = (typeof INCIDENT_WRITE_KINDS)[number];

/** Bots (BOT1): at most this many per datacenter, and 200 in a session. */
export const BOT_LIMITS = { perDc: 100, perSession: 200, maxRatePerSec: 50 } as const;

/** Join codes: 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L). */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const JOIN_CODE_LENGTH = 6;

// ---- results -------------------------------------------------------------------------------

export type ErrorCode =
  | 'bad_request'
  | 'unknown_session'
  | 'not_joined'
  | 'forbidden'
  | 'unknown_participant'
  | 'unknown_post'
  | 'not_author'
  | 'post_deleted'
  | 'no_quorum'
  | 'locked'
  | 'in_conflict'
  | 'no_conflict'
  | 'op_id_reused'
  | 'rate_limited'
  | 'invalid'
  /** The session has ended (SEC6): it can be watched and re-joined, not changed. */
  | 'ended'
  | 'internal';

/** Every request is answered with an Ack: data, or an error a person can read. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string } };

// ---- inbound payloads ----------------------------------------------------------------------

const joinCode = z
  .string()
  .trim()
  .toUpperCase()
  .length(JOIN_CODE_LENGTH, 'A join code has 6 characters.')
  .regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]+$`), 'That is not a join code.');
const opId = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'An op id is letters, digits, _ and -.');
const postId = z.string().min(1).max(64);
const postText = z
  .string()
  .trim()
  .min(1, 'Write something first.')
  .max(LIMITS.postChars, `A post has at most ${LIMITS.postChars} characters.`);

export const schemas = {
  sessionCreate: z.object({}).strict(),
  sessionJoin: z
    .object({
      code: joinCode,
      name: z.string().trim().min(1, 'Pick a name.').max(LIMITS.nameChars).optional(),
      token: z.string().min(16).max(128).optional(),
    })
    .strict()
    .refine((p) => p.name !== undefined || p.token !== undefined, 'Give a name to join, or a token to come back.'),
  boardWatch: z.object({ code: joinCode }).strict(),
  adminWatch: z.object({ code: joinCode, secret: z.string().min(16).max(128) }).strict(),
  postCreate: z.object({ opId, text: postText, parentId: postId.nullable() }).strict(),
  postEdit: z.object({ opId, postId, text: postText }).strict(),
  postTarget: z.object({ opId, postId }).strict(),
  adminLink: z
    .object({
      latencyMs: z.number().int().min(0).max(LIMITS.maxLatencyMs),
      jitterMs: z.number().int().min(0).max(LIMITS.maxJitterMs),
    })
    .strict(),
  adminReset: z.object({}).strict(),
  adminEnd: z.object({}).strict(),
  adminPartition: z
    .object({ mode: z.enum(LINK_MODES), slowLatencyMs: z.number().int().min(500).max(LIMITS.maxLatencyMs).optional() })
    .strict(),
  adminSkew: z.object({ dc: z.enum(DC_IDS), skewMs: z.number().int().min(-LIMITS.maxSkewMs).max(LIMITS.maxSkewMs) }).strict(),
  adminConsistency: z.object({ w: z.number().int().min(1).max(LIMITS.nodes), r: z.number().int().min(1).max(LIMITS.nodes) }).strict(),
  adminMove: z.object({ participantId: z.string().min(1).max(64), to: z.enum(DC_IDS) }).strict(),
  adminLockSwitch: z.object({ locked: z.boolean() }).strict(),
  meSwitch: z.object({}).strict(),
  adminStrategy: z.object({ strategy: z.enum(['lww', 'merge', 'human']) }).strict(),
  /** A choice between conflicting versions: keep West's, East's, or both. */
  conflictResolve: z.object({ opId, postId, keep: z.enum(['west', 'east', 'both']) }).strict(),
  /** The instructor's choice, written from a datacenter of their choosing. */
  adminResolve: z.object({ opId, postId, keep: z.enum(['west', 'east', 'both']), dc: z.enum(DC_IDS) }).strict(),
  healPreview: z.object({}).strict(),
  adminIncident: z.object({ size: z.union([z.literal(INCIDENT_SIZES[0]), z.literal(INCIDENT_SIZES[1]), z.literal(INCIDENT_SIZES[2])]) }).strict(),
  classCounts: z.object({}).strict(),
  /** Start (or change) the bots: `perDc` simulated students in each datacenter writing `ratePerSec` in total; or stop them all. */
  adminBots: z.discriminatedUnion('action', [
    z
      .object({
        action: z.literal('start'),
        perDc: z.number().int().min(1).max(BOT_LIMITS.perDc),
        ratePerSec: z.number().min(0.1).max(BOT_LIMITS.maxRatePerSec),
      })
      .strict(),
    z.object({ action: z.literal('stop') }).strict(),
  ]),
  consensusWatch: z.object({}).strict(),
  adminConsensus: z.discriminatedUnion('action', [
    z.object({ action: z.enum(['pause', 'resume', 'step', 'back']) }).strict(),
    z.object({ action: z.literal('speed'), speed: z.number().min(0.01).max(2) }).strict(),
    z.object({ action: z.enum(['crash', 'restart']), node: z.enum(['A', 'B', 'C', 'D', 'E']) }).strict(),
    z.object({ action: z.literal('write'), value: z.string().trim().min(1).max(40) }).strict(),
  ]),
} as const;

/** The resolution strategies, in the lecture's order. */
export const STRATEGIES = ['lww', 'merge', 'human'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const STRATEGY_LABEL: Readonly<Record<Strategy, string>> = {
  lww: 'Last write wins',
  merge: 'Merge everything',
  human: 'Human choice',
};

export type SessionJoinPayload = z.input<typeof schemas.sessionJoin>;
export type BoardWatchPayload = z.input<typeof schemas.boardWatch>;
export type AdminWatchPayload = z.input<typeof schemas.adminWatch>;
export type PostCreatePayload = z.input<typeof schemas.postCreate>;
export type PostEditPayload = z.input<typeof schemas.postEdit>;
export type PostTargetPayload = z.input<typeof schemas.postTarget>;
export type AdminLinkPayload = z.input<typeof schemas.adminLink>;
export type AdminPartitionPayload = z.input<typeof schemas.adminPartition>;
export type AdminSkewPayload = z.input<typeof schemas.adminSkew>;
export type AdminConsistencyPayload = z.input<typeof schemas.adminConsistency>;
export type AdminMovePayload = z.input<typeof schemas.adminMove>;
export type AdminLockSwitchPayload = z.input<typeof schemas.adminLockSwitch>;
export type AdminStrategyPayload = z.input<typeof schemas.adminStrategy>;
export type ConflictResolvePayload = z.input<typeof schemas.conflictResolve>;
export type AdminResolvePayload = z.input<typeof schemas.adminResolve>;
export type AdminConsensusPayload = z.input<typeof schemas.adminConsensus>;
export type AdminIncidentPayload = z.input<typeof schemas.adminIncident>;
export type AdminBotsPayload = z.input<typeof schemas.adminBots>;

// ---- consensus view ------------------------------------------------------------------------

export type NodeId = (typeof NODE_IDS)[number];

/** One Raft node as the board draws it. */
export interface RaftNodeFrame {
  id: NodeId;
  dc: Dc;
  role: 'follower' | 'candidate' | 'leader' | 'crashed';
  term: number;
  votedFor: NodeId | null;
  /** How far its election timer has run, 0..1; null while it is leader or crashed. */
  timeoutProgress: number | null;
  logLength: number;
  commitIndex: number;
}

/** One RPC in flight, as a dot `progress` of the way from `from` to `to`. */
export interface MessageFrame {
  seq: number;
  from: NodeId;
  to: NodeId;
  kind: 'requestVote' | 'vote' | 'appendEntries' | 'appended';
  progress: number;
  /** The cut (or a crashed receiver) will drop it. */
  blocked: boolean;
}

export interface NaiveNodeFrame {
  id: NodeId;
  dc: Dc;
  role: 'primary' | 'replica' | 'crashed';
  /** The primary this node follows. */
  primary: NodeId;
  writes: number;
}

/** One frame of the consensus view: Raft and naive failover under the same cut. */
export interface ConsensusFrame {
  /** Simulated ms since the cluster started. */
  simNow: number;
  paused: boolean;
  /** Simulated ms per real ms. */
  speed: number;
  cut: 'none' | 'full' | 'west-to-east' | 'east-to-west';
  /** How many earlier frames "Step back" can return to. */
  history: number;
  raft: { nodes: RaftNodeFrame[]; messages: MessageFrame[]; leaders: { id: NodeId; term: number }[] };
  naive: { nodes: NaiveNodeFrame[]; primaries: NodeId[] };
  /** The newest things that happened, newest last, in words ("C is elected leader of term 3"). */
  log: string[];
}

/** The slower analysis beside the cluster, recomputed when the cut or a crash changes. */
export interface ConsensusAnalysis {
  protocols: { protocol: string; verdict: string; line: string }[];
  toy: { id: string; title: string; description: string; summary: string; differs: boolean }[];
}

// ---- views ---------------------------------------------------------------------------------

export interface VersionVectorView {
  west: number;
  east: number;
}

/** One post as one datacenter holds it. */
export interface PostView {
  id: string;
  parentId: string | null;
  pinned: boolean;
  authorId: string;
  authorName: string;
  text: string;
  deleted: boolean;
  /** The origin datacenter's wall clock at creation. */
  createdAt: number;
  createdIn: Dc;
  /** Who wrote the current text (the pinned post is edited by many), or null if never edited. */
  editedBy: string | null;
  editedAt: number | null;
  likeCount: number;
  likedBy: string[];
  vv: VersionVectorView;
  lamport: number;
  /** True while the other datacenter has not yet seen this version ("not yet replicated"). */
  pending: boolean;
  /** Conflicting versions waiting for a person's choice (human choice, HUM2); null when none. */
  siblings: SiblingView[] | null;
  /** Merge-all made this post from the other side's version of `duplicateOf` (MRG1). */
  duplicateOf: string | null;
}

/** One side's version of a post in conflict: for the two-colour banner. */
export interface SiblingView {
  dc: Dc;
  text: string;
  deleted: boolean;
  byId: string;
  byName: string;
  /** The writer's datacenter clock when written. */
  wall: number;
  lamport: number;
  vv: VersionVectorView;
}

/** A write as a heal report shows it. */
export interface WriteView {
  opId: string;
  kind: 'create' | 'edit' | 'delete' | 'like' | 'unlike' | 'resolve';
  byId: string;
  byName: string;
  dc: Dc;
  /** Its datacenter's clock, and the true server time. */
  wall: number;
  at: number;
  text: string | null;
}

/** What a heal did, or would do (PRE1): LWW's losses, merge-all's oddities, human choice's conflicts. */
export interface HealReportView {
  strategy: Strategy;
  at: number;
  held: Record<Dc, number>;
  lost: { postId: string; lost: WriteView; winner: WriteView; reason: string; skewNote: string | null }[];
  duplicates: { postId: string; duplicateId: string; byId: string; byName: string }[];
  brokenThreads: { postId: string; parentId: string; byId: string; byName: string }[];
  phantomLikes: { postId: string; byId: string; byName: string }[];
  resurrected: { postId: string; deletedById: string; deletedByName: string; editedById: string; editedByName: string }[];
  likeMerges: { postId: string; west: number; east: number; total: number }[];
  conflicts: { postId: string; authorId: string; authorName: string; siblings: SiblingView[] }[];
}

export interface ParticipantView {
  id: string;
  name: string;
  home: Dc;
  online: boolean;
  /** A simulated student the instructor added (BOT1); absent for people. */
  bot?: boolean;
}

export interface LinkView {
  latencyMs: number;
  jitterMs: number;
  mode: LinkMode;
  /** Server time the current mode began; null while the link has always been up. */
  since: number | null;
  slowLatencyMs: number;
}

/** What one side can do under the current W and R (CAP1–CAP3). */
export interface QuorumView {
  reachable: string[];
  w: number;
  r: number;
  /** W + R > N. */
  overlapping: boolean;
  canWrite: boolean;
  canRead: boolean;
  /** One sentence for the banner, e.g. "West can reach 2 of 5 nodes; writes need 3."; null when allowed. */
  writeRefusal: string | null;
  readRefusal: string | null;
}

/** Everything the instructor controls, sent whole whenever any of it changes. */
export interface SettingsView {
  link: LinkView;
  /** Clock skew per datacenter, ms: a datacenter's clock is server time plus its skew. */
  skew: Record<Dc, number>;
  w: number;
  r: number;
  /** The preset's id, or null for a custom W/R. */
  preset: string | null;
  quorum: Record<Dc, QuorumView>;
  switchLocked: boolean;
  strategy: Strategy;
}

/** One op on the space-time diagram (see server/sim/timeline.ts). */
export interface TimelineOpView {
  opId: string;
  kind: 'create' | 'edit' | 'delete' | 'like' | 'unlike' | 'resolve';
  postId: string;
  authorName: string;
  origin: Dc;
  at: number;
  wall: number;
  lamport: number;
  vv: VersionVectorView;
  deliveredAt: number | null;
}

export interface TimelineBandView {
  mode: LinkMode;
  from: number;
  to: number | null;
}

export interface TimelineView {
  ops: TimelineOpView[];
  bands: TimelineBandView[];
}

export interface DivergenceView {
  onlyWest: number;
  onlyEast: number;
  changedOnBoth: number;
  likesDiffer: number;
}

/** What a replayed incident wrote (INC2): the board shows these numbers, never its 200K rows. */
export interface IncidentView {
  seed: number;
  size: number;
  /** Server time the story's split began. */
  splitAt: number;
  people: number;
  /** Posts both sides held before the split. */
  shared: number;
  applied: number;
  refused: number;
  perSide: Record<Dc, Record<IncidentWriteKind, number>>;
}

/** A heal report as numbers only. */
export interface HealCountsView {
  strategy: Strategy;
  lost: number;
  duplicates: number;
  brokenThreads: number;
  phantomLikes: number;
  resurrected: number;
  likeMerges: number;
  conflicts: number;
}

/** Counts that stay small whatever the session holds: the board's and the admin page's counts panel. */
export interface ClassCountsView {
  /** Posts each datacenter holds (deleted ones included). */
  posts: Record<Dc, number>;
  /** Messages the link holds, by sending side. */
  held: Record<Dc, number>;
  /** Posts still waiting for a person's choice (HUM3): the number that goes down. */
  conflicts: number;
  /** The last incident replayed in this session since the server started; null when none. */
  incident: IncidentView | null;
  heal: HealCountsView | null;
}

export interface IncidentProgressView {
  phase: IncidentPhase;
  done: number;
  total: number;
}

/** The session's bots (BOT1), as the admin page shows them. */
export interface BotsView {
  running: boolean;
  perDc: number;
  /** Bots in the session now. */
  bots: number;
  /** The rate asked for, and the server's cap on it (writes per second, whole session). */
  ratePerSec: number;
  capPerSec: number;
  /** Writes the bots sent since they started, and how many the server refused. */
  writes: number;
  refused: number;
}

/** A session that has ended (SEC6): by the instructor, or after SESSION_IDLE_MINUTES without a write. */
export interface SessionEndView {
  at: number;
  reason: 'instructor' | 'idle';
}

/** What a student sees: their own datacenter's copy only. */
export interface StudentSnapshot {
  code: string;
  me: ParticipantView;
  dc: Dc;
  /** My datacenter's feed; while it cannot read (CAP4), the last view it could read. */
  posts: PostView[];
  /**
   * Null while my datacenter can read. Otherwise the feed is stale: `posts` is the view as of this
   * server time, when reads stopped, and nothing newer is pushed until reads return (CAP4).
   */
  readableAsOf: number | null;
  link: LinkView;
  settings: SettingsView;
  /** The last heal's report: the page shows this person's own losses as "what I lost". */
  lastHeal: HealReportView | null;
  /** Server time when the snapshot was made, so the page can show clocks. */
  serverNow: number;
  /** Present once the session has ended: the page shows it read-only. */
  ended?: SessionEndView;
}

/** What the board and the admin page see: both datacenters. */
export interface ClassSnapshot {
  code: string;
  posts: Record<Dc, PostView[]>;
  participants: ParticipantView[];
  link: LinkView;
  /** Replication messages on the link, per direction (west = West to East). */
  inFlight: Record<Dc, number>;
  settings: SettingsView;
  divergence: DivergenceView;
  timeline: TimelineView;
  lastHeal: HealReportView | null;
  serverNow: number;
  /** Present once the session has ended: the page shows it read-only. */
  ended?: SessionEndView;
}

export interface JoinResult {
  /** Kept in local storage: coming back with it resumes the same identity and datacenter. */
  token: string;
  snapshot: StudentSnapshot;
}

export interface CreatedSession {
  code: string;
  /** The instructor's secret: shown once, kept in the URL fragment and this browser's storage. */
  secret: string;
}

// ---- events --------------------------------------------------------------------------------

type AckFn<T> = (result: Ack<T>) => void;

/** Inbound events are `domain:verb`. Every one is acknowledged. */
export interface ClientToServerEvents {
  'session:create': (payload: Record<string, never>, ack: AckFn<CreatedSession>) => void;
  'session:join': (payload: SessionJoinPayload, ack: AckFn<JoinResult>) => void;
  'board:watch': (payload: BoardWatchPayload, ack: AckFn<ClassSnapshot>) => void;
  'admin:watch': (payload: AdminWatchPayload, ack: AckFn<ClassSnapshot>) => void;
  'post:create': (payload: PostCreatePayload, ack: AckFn<PostView>) => void;
  'post:edit': (payload: PostEditPayload, ack: AckFn<PostView>) => void;
  'post:delete': (payload: PostTargetPayload, ack: AckFn<PostView>) => void;
  'post:like': (payload: PostTargetPayload, ack: AckFn<PostView>) => void;
  'post:unlike': (payload: PostTargetPayload, ack: AckFn<PostView>) => void;
  'admin:link': (payload: AdminLinkPayload, ack: AckFn<LinkView>) => void;
  'admin:reset': (payload: Record<string, never>, ack: AckFn<null>) => void;
  /** SEC6: the instructor ends the session for good; it stays readable. */
  'admin:end': (payload: Record<string, never>, ack: AckFn<SessionEndView>) => void;
  'admin:partition': (payload: AdminPartitionPayload, ack: AckFn<SettingsView>) => void;
  'admin:skew': (payload: AdminSkewPayload, ack: AckFn<SettingsView>) => void;
  'admin:consistency': (payload: AdminConsistencyPayload, ack: AckFn<SettingsView>) => void;
  'admin:move': (payload: AdminMovePayload, ack: AckFn<ParticipantView>) => void;
  'admin:lockSwitch': (payload: AdminLockSwitchPayload, ack: AckFn<SettingsView>) => void;
  /** A student roams to the other datacenter (unless locked); answered with their new snapshot. */
  'me:switch': (payload: Record<string, never>, ack: AckFn<StudentSnapshot>) => void;
  'admin:strategy': (payload: AdminStrategyPayload, ack: AckFn<SettingsView>) => void;
  'admin:resolve': (payload: AdminResolvePayload, ack: AckFn<PostView>) => void;
  /** A student chooses between the versions of their post (or the pinned post). */
  'conflict:resolve': (payload: ConflictResolvePayload, ack: AckFn<PostView>) => void;
  /** PRE1: all three strategies on the current divergent state, without healing (board and admin). */
  'heal:preview': (payload: Record<string, never>, ack: AckFn<Record<Strategy, HealReportView>>) => void;
  /** The board and the admin start receiving consensus frames; answered with the current one. */
  'consensus:watch': (payload: Record<string, never>, ack: AckFn<{ frame: ConsensusFrame; analysis: ConsensusAnalysis }>) => void;
  'admin:consensus': (payload: AdminConsensusPayload, ack: AckFn<ConsensusFrame>) => void;
  /** INC2: replay the seed's incident at this size; progress comes as `incident:progress`, the ack once it is stored. */
  'admin:incident': (payload: AdminIncidentPayload, ack: AckFn<ClassCountsView>) => void;
  /** The counts panel's numbers (board and admin). */
  'class:counts': (payload: Record<string, never>, ack: AckFn<ClassCountsView>) => void;
  /** BOT1: start, resize or stop the session's simulated students. */
  'admin:bots': (payload: AdminBotsPayload, ack: AckFn<BotsView>) => void;
}

/** Broadcasts are in the past tense and carry a small diff, never the whole feed. */
export interface ServerToClientEvents {
  /** A post changed in datacenter `dc` (students get only their own datacenter's). */
  'post:changed': (change: { dc: Dc; post: PostView }) => void;
  'participant:joined': (participant: ParticipantView) => void;
  'participant:presence': (change: { id: string; online: boolean }) => void;
  'link:configured': (link: LinkView) => void;
  'link:inflight': (inFlight: Record<Dc, number>) => void;
  'settings:changed': (settings: SettingsView) => void;
  'divergence:changed': (divergence: DivergenceView) => void;
  /** Ops added or delivered since the last change (by opId), and all bands. */
  'timeline:changed': (change: { ops: TimelineOpView[]; bands: TimelineBandView[] }) => void;
  'participant:moved': (participant: ParticipantView) => void;
  'consensus:frame': (frame: ConsensusFrame) => void;
  'consensus:analysis': (analysis: ConsensusAnalysis) => void;
  /** A heal finished: what it did (everyone; a student's page picks out their own losses). */
  'heal:reported': (report: HealReportView) => void;
  /** To the moved person's own screens: re-join (with the token) to get the new datacenter's view. */
  'me:moved': (change: { to: Dc }) => void;
  /** The instructor reset the session: fetch a fresh snapshot. */
  'session:reset': () => void;
  /** The session ended (SEC6): every page shows it read-only from now on. */
  'session:ended': (end: SessionEndView) => void;
  /** An incident is being replayed or healed: the progress bar (everyone in the session). */
  'incident:progress': (progress: IncidentProgressView) => void;
  /** An incident was replayed: its numbers; pages fetch a fresh snapshot. */
  'incident:replayed': (incident: IncidentView) => void;
  /** The counts panel changed (an incident, a heal, a choice). */
  'counts:changed': (counts: ClassCountsView) => void;
  /** The bots started, changed or stopped (board and admin). */
  'bots:changed': (bots: BotsView) => void;
}

/** The handshake's `auth` field: the server refuses another protocol version. */
export interface HandshakeAuth {
  protocol: number;
}
