/**
 * What the server sends: the views of posts, sessions, heals, the lesson and the consensus board.
 * Types only, nothing at run time, so a page can import them for free.
 */
import type { Chooser, Cut, DcId as Dc, IncidentWriteKind, LinkMode, LwwDecider, NodeId, Strategy } from '../sim/vocab.ts';
import type { BoardPanel, HealList, IncidentPhase } from './wire.ts';


// ---- lesson ----------------------------------------------------------------------------------

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
  /** Who may choose between `siblings` (the core's rule, HUM2); null when there are none. */
  mayChoose: Chooser | null;
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

/** A loss that a skewed clock decided: the loser's clock was `behindMs` behind, yet it wrote `laterMs` later in true time. */
export interface SkewFact {
  behindMs: number;
  laterMs: number;
}

/** What a heal did, or would do (PRE1): LWW's losses, merge-all's oddities, human choice's conflicts. */
export interface HealReportView {
  strategy: Strategy;
  at: number;
  held: Record<Dc, number>;
  /** LWW3's facts, phrased by the pages: which rule decided, by how much, and the skew when it decided. */
  lost: { postId: string; lost: WriteView; winner: WriteView; decidedBy: LwwDecider; aheadMs: number; skew: SkewFact | null }[];
  duplicates: { postId: string; duplicateId: string; byId: string; byName: string }[];
  brokenThreads: { postId: string; parentId: string; byId: string; byName: string }[];
  phantomLikes: { postId: string; byId: string; byName: string }[];
  resurrected: { postId: string; deletedById: string; deletedByName: string; editedById: string; editedByName: string }[];
  likeMerges: { postId: string; west: number; east: number; total: number }[];
  conflicts: { postId: string; authorId: string; authorName: string; mayChoose: Chooser; siblings: SiblingView[] }[];
  /**
   * How many items each list has in the whole report. Snapshots and heal messages carry a sample
   * of each list (at 100K posts a report is megabytes); `heal:report-page` pages through the rest.
   */
  totals: Record<HealList, number>;
}


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
