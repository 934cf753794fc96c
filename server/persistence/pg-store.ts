import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/postgres/client.ts';
import type { PrismaClient as SqliteClient } from './generated/sqlite/client.ts';
import { migratePostgres } from './pg-migrate.ts';
import { isUniqueViolation, prismaSessions } from './prisma-store.ts';
import type { BatchResult, PendingEntry, Store } from './store.ts';

/**
 * The advisory lock one server process holds on a PostgreSQL database (REL8), the equivalent of
 * SQLite's lock file: it belongs to a connection, so the server dropping that connection (a crash,
 * `kill -9`) frees it. Arbitrary, only unique among this app's advisory locks (pg-migrate.ts).
 */
const ONE_PROCESS_LOCK = 7_314_000;

/** The URL as it may be shown in a log line: the password masked. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'an unparsable postgres URL';
  }
}

/** The PostgreSQL database could not be opened: the message names where and why, for one start-up line (REL6). */
export class PostgresOpenError extends Error {
  constructor(url: string, reason: string) {
    super(`cannot open the PostgreSQL database ${shownUrl(url)}: ${reason}`);
    this.name = 'PostgresOpenError';
  }
}

/** Refused because another server process holds the database (REL8). */
export class PostgresInUseError extends Error {
  constructor(url: string) {
    super(`the database ${shownUrl(url)} is in use by another Split-Brain Lab server process: stop it first, or give this one its own DATABASE_URL`);
    this.name = 'PostgresInUseError';
  }
}

/** A write refused because this process no longer holds the session's lease: another owns it now. */
export class LeaseLostError extends Error {
  constructor(readonly sessionId: string) {
    super(`session ${sessionId} is owned by another server process now: its lease expired here`);
    this.name = 'LeaseLostError';
  }
}

/**
 * One owner per session among server processes sharing a database (several machines): a lease
 * row with an expiry on the database's clock, so the processes' own clocks never disagree about it.
 */
export interface Leases {
  /** This process's id, random per start. */
  readonly owner: string;
  /** Takes the session's lease when it is free, expired or already ours; resolves to whoever owns it after. */
  claim(sessionId: string, ttlMs: number): Promise<string>;
  /** Extends every lease this process holds; resolves to the sessions still its own. */
  renew(ttlMs: number): Promise<string[]>;
  /** The live owner of the session, or null when its lease is free or has expired. */
  ownerOf(sessionId: string): Promise<string | null>;
  /** Gives up every lease this process holds (a graceful stop: the others need not wait for the expiry). */
  releaseAll(): Promise<void>;
}

/** The store in cluster mode: no one-process lock, leases instead, and every write fenced by its lease. */
export type ClusterStore = Store & { leases: Leases };

/** The database's now, as the UTC timestamp Prisma stores in `timestamp(3)` columns. */
const DB_NOW = `(now() AT TIME ZONE 'UTC')`;

const reasonOf = (error: unknown) => {
  const e = error as { code?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' && e.message ? e.message : String(error);
  return typeof e?.code === 'string' ? `${message} (${e.code})` : message;
};

/**
 * The store on PostgreSQL, through Prisma's official driver adapter (@prisma/adapter-pg). Migrates
 * the database at start (prisma/postgres/migrations) and, like the SQLite store, lets one server
 * process use it at a time (REL8), through an advisory lock held on its own connection.
 */
export async function createPgStore(url: string): Promise<Store>;
/** Cluster mode: several processes on one database, each session owned by the holder of its lease. */
export async function createPgStore(url: string, cluster: { owner: string }): Promise<ClusterStore>;
export async function createPgStore(url: string, cluster?: { owner: string }): Promise<Store | ClusterStore> {
  const guard = new pg.Client({ connectionString: url });
  let prisma: PrismaClient | null = null;
  // An idle connection that breaks (the server restarted) must not crash the process as an unhandled 'error'.
  guard.on('error', () => {});
  try {
    await guard.connect();
    if (!cluster) {
      const { rows } = await guard.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [ONE_PROCESS_LOCK]);
      if (!rows[0]?.locked) throw new PostgresInUseError(url);
    }
    await migratePostgres(guard);
    prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    await prisma.$connect();
    return cluster ? { ...pgStore(prisma, guard, cluster.owner), leases: pgLeases(prisma, cluster.owner) } : pgStore(prisma, guard, null);
  } catch (error) {
    await prisma?.$disconnect().catch(() => {});
    await guard.end().catch(() => {});
    if (error instanceof PostgresInUseError) throw error;
    throw new PostgresOpenError(url, reasonOf(error));
  }
}

function pgLeases(prisma: PrismaClient, owner: string): Leases {
  return {
    owner,
    async claim(sessionId, ttlMs) {
      const rows = await prisma.$queryRawUnsafe<{ owner: string }[]>(
        `INSERT INTO "SessionLease" ("sessionId", "owner", "expiresAt") VALUES ($1, $2, ${DB_NOW} + make_interval(secs => $3::float8 / 1000))
         ON CONFLICT ("sessionId") DO UPDATE SET "owner" = EXCLUDED."owner", "expiresAt" = EXCLUDED."expiresAt"
         WHERE "SessionLease"."owner" = EXCLUDED."owner" OR "SessionLease"."expiresAt" <= ${DB_NOW}
         RETURNING "owner"`,
        sessionId,
        owner,
        ttlMs,
      );
      if (rows.length > 0) return owner;
      return (await this.ownerOf(sessionId)) ?? this.claim(sessionId, ttlMs);
    },
    async renew(ttlMs) {
      const rows = await prisma.$queryRawUnsafe<{ sessionId: string }[]>(
        `UPDATE "SessionLease" SET "expiresAt" = ${DB_NOW} + make_interval(secs => $2::float8 / 1000)
         WHERE "owner" = $1 AND "expiresAt" > ${DB_NOW} RETURNING "sessionId"`,
        owner,
        ttlMs,
      );
      return rows.map((r) => r.sessionId);
    },
    async ownerOf(sessionId) {
      const rows = await prisma.$queryRawUnsafe<{ owner: string }[]>(
        `SELECT "owner" FROM "SessionLease" WHERE "sessionId" = $1 AND "expiresAt" > ${DB_NOW}`,
        sessionId,
      );
      return rows[0]?.owner ?? null;
    },
    async releaseAll() {
      await prisma.$executeRawUnsafe(`DELETE FROM "SessionLease" WHERE "owner" = $1`, owner);
    },
  };
}

/** `fence`: in cluster mode this process's id; a write to a session whose lease it does not hold is refused (LeaseLostError). */
function pgStore(prisma: PrismaClient, guard: pg.Client, fence: string | null): Store {
  /** One transaction: the keys already stored first, then every row, so a batch is stored whole or not at all. */
  const write = (sessionId: string, batch: readonly PendingEntry[]) =>
    prisma.$transaction(async (tx): Promise<BatchResult> => {
      if (fence !== null) {
        // FOR SHARE: a takeover (an UPDATE of this row) waits for this write to commit, and a write
        // after the takeover sees the new owner. A paused owner cannot write behind its successor.
        const rows = await tx.$queryRawUnsafe<{ owner: string }[]>(
          `SELECT "owner" FROM "SessionLease" WHERE "sessionId" = $1 AND "expiresAt" > ${DB_NOW} FOR SHARE`,
          sessionId,
        );
        if (rows[0]?.owner !== fence) throw new LeaseLostError(sessionId);
      }
      const keys = batch.map(({ entry }) => entry.key);
      const stored = new Set((await tx.logEntry.findMany({ where: { sessionId, key: { in: keys } }, select: { key: true } })).map((r) => r.key));
      const seen = new Set<string>();
      const duplicates: number[] = [];
      keys.forEach((key, i) => {
        if (stored.has(key) || seen.has(key)) duplicates.push(i);
        seen.add(key);
      });
      if (duplicates.length > 0) return { stored: false, duplicates };
      await tx.logEntry.createMany({
        data: batch.map(({ entry }) => ({ sessionId, seq: entry.seq, key: entry.key, at: entry.at, command: entry.command })),
      });
      for (const { token } of batch) {
        if (!token) continue;
        const id = { sessionId, tokenHash: token.tokenHash };
        await tx.participantToken.upsert({ where: { sessionId_tokenHash: id }, create: { ...id, participantId: token.participantId }, update: { participantId: token.participantId } });
      }
      return { stored: true };
    });

  const appendMany = async (sessionId: string, batch: readonly PendingEntry[]): Promise<BatchResult> => {
    if (batch.length === 0) return { stored: true };
    try {
      return await write(sessionId, batch);
    } catch (error) {
      // Another writer stored one of these keys between our check and our insert: asked again, the
      // check sees it and answers `duplicate`. A taken seq fails the same way again, and is thrown.
      if (!isUniqueViolation(error)) throw error;
      return write(sessionId, batch);
    }
  };

  return {
    // The two generated clients share one model, so their delegates have the same shape.
    ...prismaSessions(prisma as unknown as SqliteClient),

    async append(sessionId, entry, token) {
      const answer = await appendMany(sessionId, [token ? { entry, token } : { entry }]);
      return answer.stored ? 'stored' : 'duplicate';
    },

    appendMany,

    async close() {
      await prisma.$disconnect();
      await guard.end();
    },
  };
}
