/**
 * Persistence is an append-only log of accepted commands per session, plus what the core must
 * never hold (hashed secrets and tokens). State is the log replayed through the core (REL1).
 * Two implementations pass one contract suite: memory (tests, no disk) and Prisma on SQLite.
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
}

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
  /** The session's log in `seq` order. */
  readLog(sessionId: string): Promise<LogEntry[]>;
  findParticipantByToken(sessionId: string, tokenHash: string): Promise<string | null>;
  close(): Promise<void>;
}

export class DuplicateCodeError extends Error {
  constructor(code: string) {
    super(`join code ${code} is taken`);
    this.name = 'DuplicateCodeError';
  }
}
