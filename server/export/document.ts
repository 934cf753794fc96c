/**
 * The session as one versioned JSON document, and back. Export: the session's seed and times, its
 * log (every accepted command: writes, settings changes, heals, rewinds), the heal reports and the
 * rewinds the log replays to. Import: the document is validated with zod (strict objects, ids
 * that follow the protocol's rules, a size cap), version-checked, and replayed through the core;
 * every entry must be accepted and the reports must be the ones the replay makes. Nothing is
 * created unless all of it holds.
 */
import { z } from 'zod';
import type { LogEntry, SessionRecord } from '../persistence/store.ts';
import { DC_IDS, INCIDENT_SIZES, JOIN_CODE_ALPHABET, LIMITS, LINK_MODES, STRATEGIES, schemas } from '../protocol/index.ts';
import { createInitialState, step, type HealReport, type SimState } from '../sim/index.ts';

export const EXPORT_FORMAT = 'split-brain-lab/session';
/** Bumped on any change a reader must know about; an import of another version is refused. */
export const EXPORT_VERSION = 2;
/** The largest document an import reads. */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
export const MAX_IMPORT_ENTRIES = 200_000;

export interface ExportDocument {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  session: { code: string; seed: number; createdAt: number; endedAt: number | null };
  log: LogEntry[];
  heals: HealReport[];
  rewinds: { healIndex: number; at: number; queued: number }[];
}

/** What a replay of the log says happened: the reports and rewinds, in order. */
export function replayFacts(seed: number, log: readonly LogEntry[]): { state: SimState; heals: HealReport[]; rewinds: ExportDocument['rewinds']; refused: { seq: number; message: string } | null } {
  let state: SimState = createInitialState(seed);
  const heals: HealReport[] = [];
  const rewinds: ExportDocument['rewinds'] = [];
  let refused: { seq: number; message: string } | null = null;
  for (const entry of log) {
    const result = step(state, entry.command, { now: entry.at });
    if (!result.ok) {
      refused ??= { seq: entry.seq, message: result.error.message };
      continue;
    }
    state = result.state;
    for (const event of result.events) {
      if (event.type === 'heal.resolved') heals.push(event.report);
      if (event.type === 'heal.rewound') rewinds.push({ healIndex: event.healIndex, at: entry.at, queued: event.queued });
    }
  }
  return { state, heals, rewinds, refused };
}

export function exportDocument(record: SessionRecord, log: readonly LogEntry[]): ExportDocument {
  const { heals, rewinds } = replayFacts(record.seed, log);
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    session: { code: record.code, seed: record.seed, createdAt: record.createdAt, endedAt: record.endedAt ?? null },
    log: log.map((e) => ({ seq: e.seq, key: e.key, at: e.at, command: e.command })),
    heals,
    rewinds,
  };
}

// ---- validation --------------------------------------------------------------------------------

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'An id is letters, digits, _ and -.');
const postId = z.string().min(1).max(140).regex(/^[A-Za-z0-9_~-]+$/, 'A post id is letters, digits, _, ~ and -.');
const opId = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'An op id is letters, digits, _ and -.');
const text = z.string().min(1).max(LIMITS.postChars);
const dc = z.enum(['west', 'east']);
const ms = z.number().int().min(0).max(8.64e15);
const quorum = z.number().int().min(1).max(LIMITS.nodes);

/** Every command the core logs, each a strict object: an unknown field is refused. */
const commandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('participant.join'), participantId: id, name: z.string().min(1).max(LIMITS.nameChars) }).strict(),
  z.object({ type: z.literal('post.create'), opId, participantId: id, parentId: postId.nullable(), text }).strict(),
  z.object({ type: z.literal('post.edit'), opId, participantId: id, postId, text }).strict(),
  z.object({ type: z.literal('post.delete'), opId, participantId: id, postId }).strict(),
  z.object({ type: z.literal('post.like'), opId, participantId: id, postId }).strict(),
  z.object({ type: z.literal('post.unlike'), opId, participantId: id, postId }).strict(),
  z.object({ type: z.literal('link.configure'), latencyMs: z.number().int().min(0).max(LIMITS.maxLatencyMs), jitterMs: z.number().int().min(0).max(LIMITS.maxJitterMs) }).strict(),
  z.object({ type: z.literal('link.mode'), mode: z.enum(LINK_MODES), slowLatencyMs: z.number().int().min(0).max(LIMITS.maxLatencyMs).optional() }).strict(),
  z.object({ type: z.literal('clock.skew'), dc, skewMs: z.number().int().min(-LIMITS.maxSkewMs).max(LIMITS.maxSkewMs) }).strict(),
  z.object({ type: z.literal('consistency.set'), w: quorum, r: quorum }).strict(),
  z.object({ type: z.literal('participant.move'), participantId: id, to: dc }).strict(),
  z.object({ type: z.literal('participant.switch'), participantId: id }).strict(),
  z.object({ type: z.literal('settings.lockSwitch'), locked: z.boolean() }).strict(),
  z.object({ type: z.literal('strategy.set'), strategy: z.enum(STRATEGIES) }).strict(),
  z.object({ type: z.literal('conflict.resolve'), opId, participantId: id.nullable(), dc: dc.optional(), postId, keep: z.enum([...DC_IDS, 'both']) }).strict(),
  z.object({ type: z.literal('session.reset') }).strict(),
  z.object({ type: z.literal('heal.rewind'), healIndex: z.number().int().min(1) }).strict(),
  // INC1: the incident is one logged command (seed and size) that replay regenerates.
  z
    .object({ type: z.literal('incident.replay'), seed: z.number().int(), size: z.literal(INCIDENT_SIZES), runId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) })
    .strict(),
  // The consensus view's journal: the instructor's actions on it, as the socket event checks them.
  z.object({ type: z.literal('consensus.act'), act: schemas.adminConsensus }).strict(),
]);

const entrySchema = z.object({ seq: z.number().int().min(0), key: z.string().min(1).max(140).regex(/^[A-Za-z0-9_:~-]+$/, 'A log key is letters, digits, _, :, ~ and -.'), at: ms, command: commandSchema }).strict();

const documentSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT, { error: `This is not an exported Split-Brain Lab session (format "${EXPORT_FORMAT}").` }),
    version: z.number().int(),
    session: z
      .object({
        code: z.string().length(6).regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]+$`)),
        seed: z.number().int().min(-(2 ** 31)).max(2 ** 31),
        createdAt: ms,
        endedAt: ms.nullable(),
      })
      .strict(),
    log: z.array(entrySchema).max(MAX_IMPORT_ENTRIES, `An import holds at most ${MAX_IMPORT_ENTRIES} log entries.`),
    // Compared whole with what the replay makes, so any field the replay does not make is refused.
    heals: z.array(z.record(z.string(), z.unknown())).max(MAX_IMPORT_ENTRIES),
    rewinds: z.array(z.object({ healIndex: z.number().int().min(1), at: ms, queued: z.number().int().min(0) }).strict()).max(MAX_IMPORT_ENTRIES),
  })
  .strict();

export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/** What an import creates: the session's seed and times, and its log, checked to replay. */
export interface Importable {
  seed: number;
  createdAt: number;
  log: LogEntry[];
}

/**
 * Checks a parsed document and replays it; throws an ImportError that says what is wrong, in one
 * sentence a person can act on. Pure: nothing is stored here.
 */
export function validateImport(value: unknown): Importable {
  if (typeof value === 'object' && value !== null && 'version' in value && (value).version !== EXPORT_VERSION) {
    throw new ImportError(`This file is version ${JSON.stringify((value).version)} of the export format; this server reads version ${EXPORT_VERSION}.`);
  }
  const parsed = documentSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (at ${issue.path.join('.')})` : '';
    throw new ImportError(`This file is not a valid export${where}: ${issue?.message ?? 'unknown problem'}.`);
  }
  const doc = parsed.data;
  const keys = new Set<string>();
  let lastAt = doc.session.createdAt;
  doc.log.forEach((entry, i) => {
    if (i > 0 && entry.seq <= doc.log[i - 1]!.seq) throw new ImportError(`Log entry ${i} has seq ${entry.seq}: each entry's seq is above the one before.`);
    if (keys.has(entry.key)) throw new ImportError(`Log entry ${i} repeats the key ${entry.key}: each key is used once.`);
    if (entry.at < lastAt) throw new ImportError(`Log entry ${i} goes back in time: each entry is at or after the one before.`);
    keys.add(entry.key);
    lastAt = entry.at;
  });
  const log = doc.log as LogEntry[];
  const facts = replayFacts(doc.session.seed, log);
  if (facts.refused) throw new ImportError(`The log does not replay: entry ${facts.refused.seq} is refused by the core (${facts.refused.message})`);
  if (JSON.stringify(facts.heals) !== JSON.stringify(doc.heals)) throw new ImportError('The heal reports in the file are not the ones its log replays to: the file was changed.');
  if (JSON.stringify(facts.rewinds) !== JSON.stringify(doc.rewinds)) throw new ImportError('The rewinds in the file are not the ones its log replays to: the file was changed.');
  return { seed: doc.session.seed, createdAt: doc.session.createdAt, log: log.map((e) => ({ ...e, command: e.command })) };
}
