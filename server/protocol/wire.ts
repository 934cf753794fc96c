/**
 * The contract between the browser and the server, without the server's validators: the
 * vocabulary (the core's, re-exported), the wire's own constants, the Ack shape, the views the
 * server sends and the event maps for both directions. Nothing here pulls zod at run time, so
 * this is the module the pages import (ESLint keeps them from the schemas).
 */
import type { z } from 'zod';
import { MAX_SKEW_MS, N, type DcId as Dc, type RejectCode, type Strategy } from '../sim/vocab.ts';
import type { schemas } from './schemas.ts';
import type {
  AttemptsView,
  ClassChange,
  ClassCountsView,
  ClassSnapshot,
  ConsensusAnalysis,
  ConsensusFrame,
  CreatedSession,
  FeedPage,
  HealReportPage,
  HealReportView,
  IncidentProgressView,
  IncidentView,
  JoinResult,
  LessonView,
  LinkView,
  ParticipantView,
  PostView,
  ScrubView,
  SessionEndView,
  SettingsView,
  SettledChange,
  StudentSnapshot,
  BotsView,
} from './views.ts';

export type * from './views.ts';

/** Bumped on any incompatible change; the client sends it on connect and the server refuses a mismatch. */
export const PROTOCOL_VERSION = 3;

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
  INCIDENT_SIZES,
  INCIDENT_WRITE_KINDS,
} from '../sim/vocab.ts';
export type { DcId as Dc, LinkMode, Strategy, Cut, ConsistencyPreset, RejectCode, OpKind, NodeId, IncidentSize, IncidentWriteKind, LwwDecider, Chooser } from '../sim/vocab.ts';

export const LIMITS = {
  postChars: 500,
  nameChars: 40,
  maxLatencyMs: 10_000,
  maxJitterMs: 5_000,
  maxSkewMs: MAX_SKEW_MS,
  nodes: N,
} as const;

/** What the server is doing while it replays an incident: the progress bar's label. */
export const INCIDENT_PHASES = ['generating', 'storing', 'healing'] as const;
export type IncidentPhase = (typeof INCIDENT_PHASES)[number];

/** Bots (BOT1): at most this many per datacenter, and 200 in a session. */
export const BOT_LIMITS = { perDc: 100, perSession: 200, maxRatePerSec: 50 } as const;

/** Join codes: 6 characters from an alphabet without look-alikes (no 0/O, 1/I/L). */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const JOIN_CODE_LENGTH = 6;

/** The lists of a heal report, for counts and paging. */
export const HEAL_LISTS = ['lost', 'duplicates', 'brokenThreads', 'phantomLikes', 'resurrected', 'likeMerges', 'conflicts'] as const;
export type HealList = (typeof HEAL_LISTS)[number];

/** The board's detail panels: each folds away unless the lesson's step needs it. */
export const BOARD_PANELS = ['timeline', 'quorum', 'vectors', 'consensus'] as const;
export type BoardPanel = (typeof BOARD_PANELS)[number];

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

// ---- inbound payloads: their shapes are the schemas' own (./schemas.ts, server only) ----------

type Input<K extends keyof typeof schemas> = z.input<(typeof schemas)[K]>;

export type SessionJoinPayload = Input<'sessionJoin'>;
export type BoardWatchPayload = Input<'boardWatch'>;
export type AdminWatchPayload = Input<'adminWatch'>;
export type PostCreatePayload = Input<'postCreate'>;
export type PostEditPayload = Input<'postEdit'>;
export type PostTargetPayload = Input<'postTarget'>;
export type AdminLinkPayload = Input<'adminLink'>;
export type AdminPartitionPayload = Input<'adminPartition'>;
export type AdminSkewPayload = Input<'adminSkew'>;
export type AdminConsistencyPayload = Input<'adminConsistency'>;
export type AdminMovePayload = Input<'adminMove'>;
export type AdminLockSwitchPayload = Input<'adminLockSwitch'>;
export type AdminStrategyPayload = Input<'adminStrategy'>;
export type ConflictResolvePayload = Input<'conflictResolve'>;
export type AdminResolvePayload = Input<'adminResolve'>;
export type AdminConsensusPayload = Input<'adminConsensus'>;
export type FeedMorePayload = Input<'feedMore'>;
export type HealReportPagePayload = Input<'healReportPage'>;
export type AdminRewindPayload = Input<'adminRewind'>;
export type BoardScrubPayload = Input<'boardScrub'>;
export type LessonStepPayload = Input<'lessonStep'>;
export type LessonAnswerPayload = Input<'lessonAnswer'>;
export type LessonResetPayload = Input<'lessonReset'>;
export type AdminIncidentPayload = Input<'adminIncident'>;
export type AdminBotsPayload = Input<'adminBots'>;

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
