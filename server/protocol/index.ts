/**
 * The one contract between the browser and the server: event maps for both directions, zod
 * schemas for every inbound payload, the Ack shape and the views the server sends.
 * The pages import this module and nothing else from server/.
 */
import { z } from 'zod';
import { DATACENTERS, LINK_MODES, MAX_SKEW_MS, N, NODES, STRATEGIES, type Cut, type DcId as Dc, type LinkMode, type NodeId, type RejectCode, type Strategy } from '../sim/vocab.ts';

// SEC8: pages run under a CSP without 'unsafe-eval'. Zod would probe for eval to compile its
// parsers (a reported violation in every page's console); the browser validates nothing hot.
if (typeof window !== 'undefined') z.config({ jitless: true });

/** Bumped on any incompatible change; the client sends it on connect and the server refuses a mismatch. */
export const PROTOCOL_VERSION = 2;

// VOC1: the one vocabulary is the core's (server/sim/vocab.ts, the only core module the protocol
// may import); the wire adds its own names for two of them.
export {
  DATACENTERS as DC_IDS,
  DC_LABEL,
  NODES as NODE_IDS,
  NODE_DC as NODE_HOME,
  LINK_MODES,
  LINK_MODE_LABEL,
  isCut as isCutMode,
  holdsFrom,
  otherDc,
  CUTS,
  LINK_MODE_OF_CUT,
  STRATEGIES,
  STRATEGY_LABEL,
  CONSISTENCY_PRESETS,
  REJECT_CODES,
  N,
  MAX_SKEW_MS,
} from '../sim/vocab.ts';
export type { DcId as Dc, LinkMode, Strategy, Cut, ConsistencyPreset, RejectCode, OpKind, NodeId } from '../sim/vocab.ts';

export const LIMITS = {
  postChars: 500,
  nameChars: 40,
  maxLatencyMs: 10_000,
  maxJitterMs: 5_000,
  maxSkewMs: MAX_SKEW_MS,
  nodes: N,
} as const;

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

/** The transport's own refusals, beside the core's (RejectCode). */
export const TRANSPORT_ERROR_CODES = [
  'bad_request',
  'unknown_session',
  'not_joined',
  'forbidden',
  'rate_limited',
  /** The session has ended (SEC6): it can be watched and re-joined, not changed. */
  'ended',
  /** The server has just started and is still rebuilding this session: ask again in a moment. */
  'loading',
  'internal',
] as const;

/** Every error an Ack can carry: the core's reject codes plus the transport's own. */
export type ErrorCode = RejectCode | (typeof TRANSPORT_ERROR_CODES)[number];

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
  adminSkew: z.object({ dc: z.enum(DATACENTERS), skewMs: z.number().int().min(-LIMITS.maxSkewMs).max(LIMITS.maxSkewMs) }).strict(),
  adminConsistency: z.object({ w: z.number().int().min(1).max(LIMITS.nodes), r: z.number().int().min(1).max(LIMITS.nodes) }).strict(),
  adminMove: z.object({ participantId: z.string().min(1).max(64), to: z.enum(DATACENTERS) }).strict(),
  adminLockSwitch: z.object({ locked: z.boolean() }).strict(),
  meSwitch: z.object({}).strict(),
  adminStrategy: z.object({ strategy: z.enum(STRATEGIES) }).strict(),
  /** A choice between conflicting versions: keep West's, East's, or both. */
  conflictResolve: z.object({ opId, postId, keep: z.enum([...DATACENTERS, 'both']) }).strict(),
  /** The instructor's choice, written from a datacenter of their choosing. */
  adminResolve: z.object({ opId, postId, keep: z.enum([...DATACENTERS, 'both']), dc: z.enum(DATACENTERS) }).strict(),
  healPreview: z.object({}).strict(),
  /** The next window of older threads of one side, before the cursor the last window gave. */
  feedMore: z.object({ dc: z.enum(DATACENTERS), before: z.number().int().min(0) }).strict(),
  /** A page of one list of the last heal's report (the snapshots carry its counts and a sample). */
  healReportPage: z
    .object({
      list: z.enum(['lost', 'duplicates', 'brokenThreads', 'phantomLikes', 'resurrected', 'likeMerges', 'conflicts']),
      offset: z.number().int().min(0),
    })
    .strict(),
  /** Back to just before heal `healIndex` (the last heal), to heal the same history another way. */
  adminRewind: z.object({ healIndex: z.number().int().min(1) }).strict(),
  boardAttempts: z.object({}).strict(),
  /** The session at a moment: a server time, or a position in the log (stepping per event). */
  boardScrub: z.union([z.object({ at: z.number().int().min(0) }).strict(), z.object({ seq: z.number().int().min(0) }).strict()]),
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
    z.object({ action: z.enum(['crash', 'restart']), node: z.enum(NODES) }).strict(),
    z.object({ action: z.literal('write'), value: z.string().trim().min(1).max(40) }).strict(),
    /** A clean cluster (a leader elected in term 1), paused until the instructor presses Play. */
    z.object({ action: z.literal('fresh') }).strict(),
  ]),
  lessonWatch: z.object({}).strict(),
  /** -1 is the lobby. */
  lessonStep: z.object({ index: z.number().int().min(-1).max(50) }).strict(),
  lessonAct: z.object({}).strict(),
  lessonAsk: z.object({}).strict(),
  lessonReveal: z.object({}).strict(),
  lessonAnswer: z.object({ option: z.string().min(1).max(20) }).strict(),
  lessonReset: z.object({ what: z.enum(['posts', 'settings', 'both']) }).strict(),
} as const;

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
export type FeedMorePayload = z.input<typeof schemas.feedMore>;
export type HealReportPagePayload = z.input<typeof schemas.healReportPage>;
export type AdminRewindPayload = z.input<typeof schemas.adminRewind>;
export type BoardScrubPayload = z.input<typeof schemas.boardScrub>;
export type LessonStepPayload = z.input<typeof schemas.lessonStep>;
export type LessonAnswerPayload = z.input<typeof schemas.lessonAnswer>;
export type LessonResetPayload = z.input<typeof schemas.lessonReset>;

// ---- lesson ----------------------------------------------------------------------------------

/** The board's detail panels: each folds away unless the lesson's step needs it. */
export const BOARD_PANELS = ['timeline', 'quorum', 'vectors', 'consensus'] as const;
export type BoardPanel = (typeof BOARD_PANELS)[number];

/** One step of the lesson, as the strip and the board show it. */
export interface LessonStepView {
  id: string;
  title: string;
  /** The board's one sentence. */
  sentence: string;
  /** What the instructor can say. */
  say: string;
  rules: string[];
  /** The step's main action: a heal (named by the strategy it will use) or the Raft step's cut. */
  action: 'heal' | 'cut-and-play' | null;
  /** The question it asks before its action, if any. */
  question: string | null;
  panels: BoardPanel[];
}

export interface PersonRef {
  id: string;
  name: string;
}

/** PRD1: a question of the moment, its live distribution, and once judged, who was right. */
export interface QuestionView {
  id: string;
  text: string;
  options: { id: string; label: string }[];
  phase: 'open' | 'revealed' | 'judged';
  counts: Record<string, number>;
  answered: number;
  /** Set once judged. */
  verdict: { right: PersonRef[]; wrong: PersonRef[]; correct: string | null } | null;
}

export interface LessonView {
  steps: LessonStepView[];
  /** -1: the lobby, before the instructor starts the lesson. */
  step: number;
  question: QuestionView | null;
  /** The board shows the heal preview only once revealed. */
  previewShown: boolean;
  /** In a student's own answers only: what they answered to the question of the moment. */
  mine?: string | null;
}
export type AdminIncidentPayload = z.input<typeof schemas.adminIncident>;
export type AdminBotsPayload = z.input<typeof schemas.adminBots>;

// ---- consensus view ------------------------------------------------------------------------


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
  cut: Cut;
  /** How many earlier frames "Step back" can return to. */
  history: number;
  raft: { nodes: RaftNodeFrame[]; messages: MessageFrame[]; leaders: { id: NodeId; term: number }[] };
  naive: { nodes: NaiveNodeFrame[]; primaries: NodeId[] };
  /** The newest things that happened, newest last, in words ("C is elected leader of term 3"). */
  log: string[];
}

/** The Raft view at a scrubbed moment (SCR1): what a fresh replay of the consensus journal to it gives. */
export interface RaftMomentView {
  simNow: number;
  paused: boolean;
  cut: Cut;
  nodes: RaftNodeFrame[];
  leaders: { id: NodeId; term: number }[];
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
  /**
   * How many items each list has in the whole report. Snapshots and heal messages carry a sample
   * of each list (at 100K posts a report is megabytes); `heal:report-page` pages through the rest.
   */
  totals: Record<HealList, number>;
}

/** The lists of a heal report, for counts and paging. */
export const HEAL_LISTS = ['lost', 'duplicates', 'brokenThreads', 'phantomLikes', 'resurrected', 'likeMerges', 'conflicts'] as const;
export type HealList = (typeof HEAL_LISTS)[number];

/** One page of one list of the last heal's report. */
export interface HealReportPage<L extends HealList = HealList> {
  /** The heal's time: a page of a later heal's report says so. */
  at: number;
  list: L;
  offset: number;
  total: number;
  items: HealReportView[L];
}

/**
 * Where a window of one side's feed stands: the newest threads are sent, older ones on request.
 * `before` is the cursor for `feed:more` (null: nothing older), `threads` the side's top-level
 * posts in all, `posts` every post there (replies too, deleted ones too).
 */
export interface FeedWindowView extends FeedCounts {
  before: number | null;
}

/** How much one side holds: top-level threads, and posts in all (replies and deleted ones too). */
export interface FeedCounts {
  threads: number;
  posts: number;
}

/** Older threads of one side, answered to `feed:more`. */
export interface FeedPage {
  dc: Dc;
  posts: PostView[];
  window: FeedWindowView;
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
  /** My datacenter's newest threads (a window); while it cannot read (CAP4), the last view it could read. */
  posts: PostView[];
  /** How far the window goes, and how much is left (`feed:more`). */
  window: FeedWindowView;
  /**
   * Null while my datacenter can read. Otherwise the feed is stale: `posts` is the view as of this
   * server time, when reads stopped, and nothing newer is pushed until reads return (CAP4).
   */
  readableAsOf: number | null;
  link: LinkView;
  settings: SettingsView;
  /** The last heal's report: this person's own losses in full, the rest as counts and a sample. */
  lastHeal: HealReportView | null;
  /** Server time when the snapshot was made, so the page can show clocks. */
  serverNow: number;
  /** Present once the session has ended: the page shows it read-only. */
  ended?: SessionEndView;
}

/** What the board and the admin page see: both datacenters. */
export interface ClassSnapshot {
  code: string;
  /** Each side's newest threads (a window): `windows` says how much is left. */
  posts: Record<Dc, PostView[]>;
  windows: Record<Dc, FeedWindowView>;
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

/** One heal of one history, for "attempt 1: LWW, attempt 2: merge everything, ...". */
export interface AttemptView {
  /** The heal's number in the session: what `admin:rewind` names. */
  index: number;
  strategy: Strategy;
  at: number;
  /** What it lost, duplicated or asked, in numbers. */
  counts: { lost: number; duplicates: number; conflicts: number; brokenThreads: number; resurrected: number; phantomLikes: number; likeMerges: number };
  /** The report, each list cut to its first few rows (the counts are whole). */
  report: HealReportView;
  /** Writes made after the rewound heal, replayed after this one in their original order. */
  replayed: number;
  /** Those of them the core refused when replayed, and why. */
  refused: { kind: string; code: string; message: string }[];
  rewound: boolean;
}

/** The attempts on the current history, and whether the last heal can be rewound. */
export interface AttemptsView {
  attempts: AttemptView[];
  /** The heal "Rewind to just before this heal" undoes; null when there is none. */
  rewindable: { index: number; at: number; strategy: Strategy } | null;
  /** Writes made after a rewound heal, waiting for the next heal to replay them. */
  queued: number;
}

/** The session at a moment: what the core reaches from the log prefix (SCR1), for viewing only. */
export interface ScrubView {
  /** The moment shown (server time). */
  at: number;
  /** How many log entries the state has applied; `total` in the log now. */
  seq: number;
  total: number;
  /** Server times of the entry before and after this moment, for stepping per event. */
  prevAt: number | null;
  nextAt: number | null;
  /** When the session began and the server's time now ("live is ..."). */
  startedAt: number;
  liveAt: number;
  /** Each side's newest posts at that moment (a window) and how many it held. */
  posts: Record<Dc, PostView[]>;
  counts: Record<Dc, number>;
  link: LinkView;
  settings: SettingsView;
  inFlight: Record<Dc, number>;
  /** Each datacenter's wall clock and Lamport counter at that moment. */
  clocks: Record<Dc, { wall: number; lamport: number }>;
  divergence: DivergenceView;
  timeline: TimelineView;
  lastHeal: Strategy | null;
  /** The consensus view at that moment. */
  raft: RaftMomentView;
}

/** An exported session imported under a new code: the instructor's new link. */
export interface ImportedSession {
  code: string;
  secret: string;
  entries: number;
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
  /** Older threads of a side: students their own side, the board and the admin either. */
  'feed:more': (payload: FeedMorePayload, ack: AckFn<FeedPage>) => void;
  /** A page of one list of the last heal's report (board and admin). */
  'heal:report-page': (payload: HealReportPagePayload, ack: AckFn<HealReportPage>) => void;
  /** Rewind to just before the last heal (its index); every screen follows with a fresh snapshot. */
  'admin:rewind': (payload: AdminRewindPayload, ack: AckFn<AttemptsView>) => void;
  /** The attempts on the current history (board and admin). */
  'board:attempts': (payload: Record<string, never>, ack: AckFn<AttemptsView>) => void;
  /** The session at a moment, for viewing only: the class keeps writing live meanwhile. */
  'board:scrub': (payload: BoardScrubPayload, ack: AckFn<ScrubView>) => void;
  /** Anyone in the session: where the lesson is (a student's answer carries their own answer). */
  'lesson:watch': (payload: Record<string, never>, ack: AckFn<LessonView>) => void;
  /** The instructor enters a step: its commands run through the core like the panel's controls. */
  'lesson:step': (payload: LessonStepPayload, ack: AckFn<LessonView>) => void;
  /** The current step's action (its heal, or the Raft step's cut and play). */
  'lesson:act': (payload: Record<string, never>, ack: AckFn<LessonView>) => void;
  'lesson:ask': (payload: Record<string, never>, ack: AckFn<LessonView>) => void;
  /** Closes the answers and shows the board the heal preview. */
  'lesson:reveal': (payload: Record<string, never>, ack: AckFn<LessonView>) => void;
  /** A student's prediction. */
  'lesson:answer': (payload: LessonAnswerPayload, ack: AckFn<LessonView>) => void;
  /** A clean slate: the posts, the settings (no skew, AP, LWW, default link), or both. */
  'lesson:reset': (payload: LessonResetPayload, ack: AckFn<LessonView>) => void;
  /** INC2: replay the seed's incident at this size; progress comes as `incident:progress`, the ack once it is stored. */
  'admin:incident': (payload: AdminIncidentPayload, ack: AckFn<ClassCountsView>) => void;
  /** The counts panel's numbers (board and admin). */
  'class:counts': (payload: Record<string, never>, ack: AckFn<ClassCountsView>) => void;
  /** BOT1: start, resize or stop the session's simulated students. */
  'admin:bots': (payload: AdminBotsPayload, ack: AckFn<BotsView>) => void;
}

/** Posts whose version the other side now holds: `pending` turns false for these ids. */
export interface SettledChange {
  dc: Dc;
  ids: string[];
}

/**
 * What changed for the board and the admin page since the last batch: sent at most once per tick
 * per session, instead of one message per post, per side, per counter.
 */
export interface ClassChange {
  posts: Record<Dc, PostView[]>;
  settled: Record<Dc, string[]>;
  counts: Record<Dc, FeedCounts>;
  inFlight: Record<Dc, number>;
  divergence: DivergenceView;
  /** Ops added or delivered since the last batch, and all bands; null when the timeline did not change. */
  timeline: { ops: TimelineOpView[]; bands: TimelineBandView[] } | null;
}

/** Broadcasts are in the past tense and carry a small diff, never the whole feed. */
export interface ServerToClientEvents {
  /** A post's content changed in datacenter `dc` (created, arrived, edited, liked): to that side's students. */
  'post:changed': (change: { dc: Dc; post: PostView }) => void;
  /** Deliveries on the link: these posts of `dc` are no longer pending (a few ids, not whole posts). */
  'posts:settled': (change: SettledChange) => void;
  /** The board's and admin's batch of changes, at most one per tick. */
  'class:changed': (change: ClassChange) => void;
  'participant:joined': (participant: ParticipantView) => void;
  'participant:presence': (change: { id: string; online: boolean }) => void;
  'link:configured': (link: LinkView) => void;
  'settings:changed': (settings: SettingsView) => void;
  'participant:moved': (participant: ParticipantView) => void;
  'consensus:frame': (frame: ConsensusFrame) => void;
  'consensus:analysis': (analysis: ConsensusAnalysis) => void;
  /**
   * SNAP1: a heal finished; one message per student with their converged view (their side's
   * window, their own losses, the report's counts), instead of one message per merged post.
   */
  'heal:converged': (snapshot: StudentSnapshot) => void;
  /** SNAP1: the board's and admin's converged view after a heal, in one message. */
  'class:healed': (snapshot: ClassSnapshot) => void;
  /** To the moved person's own screens: re-join (with the token) to get the new datacenter's view. */
  'me:moved': (change: { to: Dc }) => void;
  /** The instructor reset the session: fetch a fresh snapshot. */
  'session:reset': () => void;
  /** The session ended (SEC6): every page shows it read-only from now on. */
  'session:ended': (end: SessionEndView) => void;
  /** The lesson moved (a step, a question, an answer, a reveal). */
  'lesson:changed': (lesson: LessonView) => void;
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
