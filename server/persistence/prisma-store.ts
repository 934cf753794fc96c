import fs from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { Command } from '../sim/index.ts';
import { PrismaClient } from './generated/sqlite/client.ts';
import { DatabaseInUseError, lockDatabase, type DatabaseLock } from './lock.ts';
import { LogWriter } from './log-writer.ts';
import { migrate } from './migrate.ts';
import { DuplicateCodeError, type LogEntry, type SessionEndReason, type SessionRecord, type Store } from './store.ts';

/** A unique constraint said no (Prisma's P2002), whichever generated client or driver adapter raised it. */
export const isUniqueViolation = (e: unknown) => (e as { code?: unknown } | null)?.code === 'P2002';

interface SessionRow {
  id: string;
  code: string;
  secretHash: string;
  seed: number;
  createdAt: Date;
  endedAt: Date | null;
  endReason: string | null;
}

const toRecord = (s: SessionRow): SessionRecord => ({
  id: s.id,
  code: s.code,
  secretHash: s.secretHash,
  seed: s.seed,
  createdAt: s.createdAt.getTime(),
  ...(s.endedAt ? { endedAt: s.endedAt.getTime(), endReason: s.endReason === 'idle' ? 'idle' : 'instructor' } : {}),
});

/** The database could not be opened: the message names the file and the reason, for one start-up line (REL6). */
export class DatabaseOpenError extends Error {
  constructor(dbFile: string, reason: string) {
    super(`cannot open the SQLite database ${dbFile}: ${reason}`);
    this.name = 'DatabaseOpenError';
  }
}

const codeOf = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
};

/** What an operator can act on, for the failures people actually meet. */
function openFailure(dbFile: string, error: unknown): Error {
  if (error instanceof DatabaseInUseError || error instanceof DatabaseOpenError) return error;
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return new DatabaseOpenError(dbFile, `the file is not a SQLite database, or it is corrupt (${message})`);
  if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new DatabaseOpenError(dbFile, `no permission to write there (${message})`);
  }
  return new DatabaseOpenError(dbFile, message);
}

/** The checks SQLite's own errors answer vaguely ("unable to open database file"). */
function checkPath(dbFile: string): void {
  const stat = fs.statSync(dbFile, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new DatabaseOpenError(dbFile, 'the path is a directory, not a file');
  const dir = path.dirname(dbFile);
  fs.mkdirSync(dir, { recursive: true });
  try {
    // SQLite writes its -wal, -shm and lock files beside the database.
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new DatabaseOpenError(dbFile, `its directory ${dir} is read-only`);
  }
  if (stat) {
    try {
      fs.accessSync(dbFile, fs.constants.R_OK | fs.constants.W_OK);
    } catch {
      throw new DatabaseOpenError(dbFile, 'the file is read-only');
    }
  }
}

/**
 * The durable store (REL1): SQLite 3 through better-sqlite3 and Prisma, in WAL mode. Takes the
 * one-process lock (REL8), then migrates the file, so the run command alone creates or upgrades
 * the database. Every failure to open is a DatabaseOpenError or DatabaseInUseError naming the file.
 */
export async function createPrismaStore(dbFile: string): Promise<Store> {
  let lock: DatabaseLock | null = null;
  let prisma: PrismaClient | null = null;
  try {
    checkPath(dbFile);
    lock = lockDatabase(dbFile);
    migrate(dbFile);
    prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${dbFile}` }) });
    await prisma.$connect();
    // WAL defaults to synchronous=NORMAL, where a power cut can undo the last commits: FULL syncs
    // the WAL on every commit, so what is acknowledged survives a crash and a power cut (REL1).
    // The log itself is written by LogWriter, which sets the same on its connection.
    await prisma.$executeRawUnsafe('PRAGMA synchronous = FULL');
    return prismaStore(prisma, new LogWriter(dbFile), lock);
  } catch (error) {
    await prisma?.$disconnect().catch(() => {});
    lock?.release();
    throw openFailure(dbFile, error);
  }
}

function prismaStore(prisma: PrismaClient, log: LogWriter, lock: DatabaseLock): Store {
  return {
    ...prismaSessions(prisma),
    // On SQLite the snapshot goes through the log's own connection, like the log (one writer).
    saveSnapshot: (sessionId, snapshot) => Promise.resolve(log.saveSnapshot(sessionId, snapshot)),
    loadSnapshot: (sessionId) => Promise.resolve(log.loadSnapshot(sessionId)),

    async append(sessionId, entry, token) {
      const answer = await log.appendMany(sessionId, [token ? { entry, token } : { entry }]);
      return answer.stored ? 'stored' : 'duplicate';
    },

    appendMany: (sessionId, batch) => log.appendMany(sessionId, batch),

    async close() {
      log.close();
      await prisma.$disconnect();
      lock.release();
    },
  };
}

/**
 * What both Prisma stores do the same way, on either generated client (SQLite's or PostgreSQL's:
 * one model, two providers): everything but the log's writes and closing.
 */
export function prismaSessions(prisma: PrismaClient): Omit<Store, 'append' | 'appendMany' | 'close'> {
  return {
    async createSession(session) {
      try {
        await prisma.session.create({
          data: { ...session, createdAt: new Date(session.createdAt), endedAt: session.endedAt === undefined ? null : new Date(session.endedAt) },
        });
      } catch (e) {
        if (isUniqueViolation(e) && (await prisma.session.count({ where: { code: session.code } })) > 0) throw new DuplicateCodeError(session.code);
        throw e;
      }
    },

    async findSessionByCode(code) {
      const s = await prisma.session.findUnique({ where: { code } });
      return s && toRecord(s);
    },

    async listSessions() {
      return (await prisma.session.findMany({ orderBy: { createdAt: 'asc' } })).map(toRecord);
    },

    async nextSeq(sessionId) {
      const { _max } = await prisma.logEntry.aggregate({ where: { sessionId }, _max: { seq: true } });
      return _max.seq === null ? 0 : _max.seq + 1;
    },

    async endSession(sessionId, at, reason: SessionEndReason) {
      const { count } = await prisma.session.updateMany({ where: { id: sessionId, endedAt: null }, data: { endedAt: new Date(at), endReason: reason } });
      if (count === 0 && (await prisma.session.count({ where: { id: sessionId } })) === 0) throw new Error(`unknown session ${sessionId}`);
    },

    async readLog(sessionId, fromSeq = 0) {
      const rows = await prisma.logEntry.findMany({ where: { sessionId, seq: { gte: fromSeq } }, orderBy: { seq: 'asc' } });
      return rows.map((r): LogEntry => ({ seq: r.seq, key: r.key, at: r.at, command: r.command as unknown as Command }));
    },

    async saveSnapshot(sessionId, snapshot) {
      await prisma.$transaction([
        prisma.snapshot.deleteMany({ where: { sessionId } }),
        prisma.snapshot.create({ data: { sessionId, seq: snapshot.seq, at: snapshot.at, state: snapshot.state } }),
      ]);
    },

    async loadSnapshot(sessionId) {
      const row = await prisma.snapshot.findFirst({ where: { sessionId }, orderBy: { seq: 'desc' } });
      return row && { seq: row.seq, at: row.at, state: row.state };
    },

    async findParticipantByToken(sessionId, tokenHash) {
      const t = await prisma.participantToken.findUnique({ where: { sessionId_tokenHash: { sessionId, tokenHash } } });
      return t?.participantId ?? null;
    },
  };
}
