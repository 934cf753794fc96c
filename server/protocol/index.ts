/**
 * The one contract between the browser and the server: event maps for both directions, zod
 * schemas for every inbound payload, the Ack shape and the views the server sends.
 * The pages import this module and nothing else from server/.
 */
import { z } from 'zod';

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
} as const;

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
  | 'invalid'
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
} as const;

export type SessionJoinPayload = z.input<typeof schemas.sessionJoin>;
export type BoardWatchPayload = z.input<typeof schemas.boardWatch>;
export type AdminWatchPayload = z.input<typeof schemas.adminWatch>;
export type PostCreatePayload = z.input<typeof schemas.postCreate>;
export type PostEditPayload = z.input<typeof schemas.postEdit>;
export type PostTargetPayload = z.input<typeof schemas.postTarget>;
export type AdminLinkPayload = z.input<typeof schemas.adminLink>;

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
}

export interface ParticipantView {
  id: string;
  name: string;
  home: Dc;
  online: boolean;
}

export interface LinkView {
  latencyMs: number;
  jitterMs: number;
}

/** What a student sees: their own datacenter's copy only. */
export interface StudentSnapshot {
  code: string;
  me: ParticipantView;
  dc: Dc;
  posts: PostView[];
  link: LinkView;
  /** Server time when the snapshot was made, so the page can show clocks. */
  serverNow: number;
}

/** What the board and the admin page see: both datacenters. */
export interface ClassSnapshot {
  code: string;
  posts: Record<Dc, PostView[]>;
  participants: ParticipantView[];
  link: LinkView;
  /** Replication messages on the link, per direction (west = West to East). */
  inFlight: Record<Dc, number>;
  serverNow: number;
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
}

/** Broadcasts are in the past tense and carry a small diff, never the whole feed. */
export interface ServerToClientEvents {
  /** A post changed in datacenter `dc` (students get only their own datacenter's). */
  'post:changed': (change: { dc: Dc; post: PostView }) => void;
  'participant:joined': (participant: ParticipantView) => void;
  'participant:presence': (change: { id: string; online: boolean }) => void;
  'link:configured': (link: LinkView) => void;
  'link:inflight': (inFlight: Record<Dc, number>) => void;
  /** The instructor reset the session: fetch a fresh snapshot. */
  'session:reset': () => void;
}

/** The handshake's `auth` field: the server refuses another protocol version. */
export interface HandshakeAuth {
  protocol: number;
}
