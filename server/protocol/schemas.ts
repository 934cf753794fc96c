/**
 * The zod schema of every inbound payload: the server validates each request with these before
 * the core sees it. Server only: the pages get the payload types from ./wire.ts and never ship zod
 * (it would be most of a phone's JavaScript).
 */
import { z } from 'zod';
import { DATACENTERS, LINK_MODES, NODES, STRATEGIES } from '../sim/vocab.ts';
import { BOT_LIMITS, HEAL_LISTS, INCIDENT_SIZES, JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, LIMITS } from './wire.ts';

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
      list: z.enum(HEAL_LISTS),
      offset: z.number().int().min(0),
    })
    .strict(),
  /** Back to just before heal `healIndex` (the last heal), to heal the same history another way. */
  adminRewind: z.object({ healIndex: z.number().int().min(1) }).strict(),
  boardAttempts: z.object({}).strict(),
  /** The session at a moment: a server time, or a position in the log (stepping per event). */
  boardScrub: z.union([z.object({ at: z.number().int().min(0) }).strict(), z.object({ seq: z.number().int().min(0) }).strict()]),
  adminIncident: z.object({ size: z.literal(INCIDENT_SIZES) }).strict(),
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
