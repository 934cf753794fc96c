/**
 * Persistence is an append-only log of accepted commands per session, plus what the core must
 * never hold (hashed secrets and tokens). State is the log replayed through the core (REL1).
 * Three implementations pass one contract suite: memory (tests, no disk), Prisma on SQLite (the
 * embedded default) and Prisma on PostgreSQL (several machines).
 */
import type { Command } from '../sim/index.ts';

export interface SessionRecord {
  id: string;
  /** The 6-character join code, unique across sessions. */
  code: string;
  /** SHA-256 of the instructor secret (192 random bits); the secret itself is never stored. */
  secretHash: string;
  /** Seeds the core's PRNG, so a replay draws the same jitter. */
  seed: number;
  createdAt: number;
  /** When the session ended (SEC6): an ended session is read-only, and stays ended across restarts. */
  endedAt?: number;
  endReason?: SessionEndReason;
}

/** Why a session ended: the instructor ended it, or nobody wrote for SESSION_IDLE_MINUTES. */
export type SessionEndReason = 'instructor' | 'idle';

/** One accepted command, with the server time it was accepted at. */
export interface LogEntry {
  /** Position in the session's log, from 0, without gaps. */
  seq: number;
  /** Unique per session: the client's op id for writes (a retry is a duplicate, REL2), else server-made. */
  key: string;
  at: number;
  command: Command;
}

/** A resumable identity: the hash of the token a student's browser keeps. */
export interface ParticipantToken {
  participantId: string;
  tokenHash: string;
}

export type AppendResult = 'stored' | 'duplicate';

/** One entry of a group commit, with the participant's token when it is a join. */
export interface PendingEntry {
  entry: LogEntry;
  token?: ParticipantToken;
}

/**
 * A group commit stores all its entries or none. It stores none when a key is already stored or
 * repeats inside the batch: `duplicates` lists those entries' positions, and the caller retries
 * the batch one entry at a time, where `append` answers each duplicate for itself.
 */
export type BatchResult = { stored: true } | { stored: false; duplicates: number[] };

/**
 * A session's state as of log entry `seq`, as JSON text the runtime made (REL1): a restart loads
 * the newest one and replays only the entries after it. The store keeps the newest per session.
 */
export interface StateSnapshot {
  seq: number;
  /** Server time it was taken. */
  at: number;
  state: string;
}

export interface Store {
  /** Fails with DuplicateCodeError when the join code is taken. */
  createSession(session: SessionRecord): Promise<void>;
  findSessionByCode(code: string): Promise<SessionRecord | null>;
  /** Every session, for rebuilding them all on start. */
  listSessions(): Promise<SessionRecord[]>;
  /**
   * Stores one entry, and the participant's token with it in the same transaction when given.
   * Resolves only once the entry is durable: the caller acknowledges after this (REL1).
   * An entry whose key the session already has is not stored again: 'duplicate'.
   */
  append(sessionId: string, entry: LogEntry, token?: ParticipantToken): Promise<AppendResult>;
  /**
   * Group commit: every entry in one transaction, so a burst of writes costs one sync, not one
   * each. Resolves only once they are durable (REL1). All or nothing, see BatchResult.
   */
  appendMany(sessionId: string, batch: readonly PendingEntry[]): Promise<BatchResult>;
  /** The session's log in `seq` order; from `fromSeq` on when given (the tail after a snapshot). */
  readLog(sessionId: string, fromSeq?: number): Promise<LogEntry[]>;
  /** Stores a snapshot of the session's state, replacing older ones; durable when it resolves. */
  saveSnapshot(sessionId: string, snapshot: StateSnapshot): Promise<void>;
  /** The newest snapshot of the session, or null when none was stored. */
  loadSnapshot(sessionId: string): Promise<StateSnapshot | null>;
  /**
   * The seq the next entry gets: the stored maximum + 1 (0 for an empty log). Not the log's
   * length: an entry the core refuses on replay still holds its seq (REL4).
   */
  nextSeq(sessionId: string): Promise<number>;
  /** Marks the session ended (SEC6); ending an ended session keeps the first end. */
  endSession(sessionId: string, at: number, reason: SessionEndReason): Promise<void>;
  findParticipantByToken(sessionId: string, tokenHash: string): Promise<string | null>;
  close(): Promise<void>;
}

export class DuplicateCodeError extends Error {
  constructor(code: string) {
    super(`join code ${code} is taken`);
    this.name = 'DuplicateCodeError';
  }
}
