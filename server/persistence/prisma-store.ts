import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { Command } from '../sim/index.ts';
import { Prisma, PrismaClient } from './generated/client.ts';
import { migrate } from './migrate.ts';
import { DuplicateCodeError, type LogEntry, type SessionRecord, type Store } from './store.ts';

const isUniqueViolation = (e: unknown) => e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002';

const toRecord = (s: { id: string; code: string; secretHash: string; seed: number; createdAt: Date }): SessionRecord => ({
  id: s.id,
  code: s.code,
  secretHash: s.secretHash,
  seed: s.seed,
  createdAt: s.createdAt.getTime(),
});

/**
 * The durable store (REL1): SQLite 3 through better-sqlite3 and Prisma, in WAL mode. Migrates the
 * file first, so the run command alone creates or upgrades the database.
 */
export async function createPrismaStore(dbFile: string): Promise<Store> {
  migrate(dbFile);
  const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${dbFile}` }) });
  await prisma.$connect();
  // WAL defaults to synchronous=NORMAL, where a power cut can undo the last commits: FULL syncs every commit (REL1).
  await prisma.$executeRawUnsafe('PRAGMA synchronous = FULL');

  return {
    async createSession(session) {
      try {
        await prisma.session.create({ data: { ...session, createdAt: new Date(session.createdAt) } });
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

    async append(sessionId, entry, token) {
      const writes = [
        prisma.logEntry.create({
          data: { sessionId, seq: entry.seq, key: entry.key, at: entry.at, command: entry.command },
        }),
        ...(token
          ? [
              prisma.participantToken.upsert({
                where: { sessionId_tokenHash: { sessionId, tokenHash: token.tokenHash } },
                create: { sessionId, ...token },
                update: { participantId: token.participantId },
              }),
            ]
          : []),
      ];
      try {
        // One transaction, and resolved only once committed and synced.
        await prisma.$transaction(writes);
        return 'stored';
      } catch (e) {
        // Only a retried key is a duplicate (REL2); a taken seq with a new key is a real conflict.
        if (isUniqueViolation(e) && (await prisma.logEntry.count({ where: { sessionId, key: entry.key } })) > 0) return 'duplicate';
        throw e;
      }
    },

    async readLog(sessionId) {
      const rows = await prisma.logEntry.findMany({ where: { sessionId }, orderBy: { seq: 'asc' } });
      return rows.map((r): LogEntry => ({ seq: r.seq, key: r.key, at: r.at, command: r.command as unknown as Command }));
    },

    async findParticipantByToken(sessionId, tokenHash) {
      const t = await prisma.participantToken.findUnique({ where: { sessionId_tokenHash: { sessionId, tokenHash } } });
      return t?.participantId ?? null;
    },

    async close() {
      await prisma.$disconnect();
    },
  };
}
