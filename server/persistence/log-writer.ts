import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { BatchResult, PendingEntry, StateSnapshot } from './store.ts';

/** How long a write waits for Prisma's own connection to let go of the file before it fails. */
const BUSY_GIVE_UP_MS = 2000;

/**
 * The hot path of the store: log entries (and the join's token) written by better-sqlite3 itself,
 * one transaction per batch. Prisma's interactive transactions cost 10-20 ms a batch here; this
 * costs one sync, about 3 ms (see README, Durability). Reads and the rare session writes stay
 * with Prisma, on its own connection: in WAL mode they never block these writes for long, and a
 * write that finds the file busy waits asynchronously instead of blocking the event loop.
 */
export class LogWriter {
  private readonly db: Database.Database;
  private readonly insertEntry: Database.Statement;
  private readonly upsertToken: Database.Statement;
  private readonly findKey: Database.Statement;
  private readonly write: (sessionId: string, batch: readonly PendingEntry[]) => BatchResult;
  private readonly putSnapshot: (sessionId: string, snapshot: StateSnapshot) => void;
  private readonly newestSnapshot: Database.Statement;

  constructor(dbFile: string) {
    this.db = new Database(dbFile, { timeout: 0 });
    // FULL: each commit syncs the WAL before it returns, so an acknowledged write survives a power cut.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    this.insertEntry = this.db.prepare('INSERT INTO "LogEntry" ("sessionId", "seq", "key", "at", "command") VALUES (?, ?, ?, ?, ?)');
    this.upsertToken = this.db.prepare(
      'INSERT INTO "ParticipantToken" ("sessionId", "tokenHash", "participantId") VALUES (?, ?, ?) ON CONFLICT ("sessionId", "tokenHash") DO UPDATE SET "participantId" = excluded."participantId"',
    );
    this.findKey = this.db.prepare('SELECT 1 FROM "LogEntry" WHERE "sessionId" = ? AND "key" = ?').pluck();
    const write = this.db.transaction((sessionId: string, batch: readonly PendingEntry[]): BatchResult => {
      const seen = new Set<string>();
      const duplicates: number[] = [];
      batch.forEach(({ entry }, i) => {
        if (seen.has(entry.key) || this.findKey.get(sessionId, entry.key) !== undefined) duplicates.push(i);
        seen.add(entry.key);
      });
      if (duplicates.length > 0) return { stored: false, duplicates };
      for (const { entry, token } of batch) {
        this.insertEntry.run(sessionId, entry.seq, entry.key, entry.at, JSON.stringify(entry.command));
        if (token) this.upsertToken.run(sessionId, token.tokenHash, token.participantId);
      }
      return { stored: true };
    });
    this.write = (sessionId, batch) => write.immediate(sessionId, batch);
    const insertSnapshot = this.db.prepare('INSERT OR REPLACE INTO "Snapshot" ("sessionId", "seq", "at", "state") VALUES (?, ?, ?, ?)');
    const dropOlder = this.db.prepare('DELETE FROM "Snapshot" WHERE "sessionId" = ? AND "seq" < ?');
    const put = this.db.transaction((sessionId: string, snapshot: StateSnapshot) => {
      insertSnapshot.run(sessionId, snapshot.seq, snapshot.at, snapshot.state);
      dropOlder.run(sessionId, snapshot.seq);
    });
    this.putSnapshot = (sessionId, snapshot) => put.immediate(sessionId, snapshot);
    this.newestSnapshot = this.db.prepare('SELECT "seq", "at", "state" FROM "Snapshot" WHERE "sessionId" = ? ORDER BY "seq" DESC LIMIT 1');
  }

  /** Stores a snapshot and drops the older ones of the session, in one transaction. */
  saveSnapshot(sessionId: string, snapshot: StateSnapshot): void {
    this.putSnapshot(sessionId, snapshot);
  }

  loadSnapshot(sessionId: string): StateSnapshot | null {
    const row = this.newestSnapshot.get(sessionId) as StateSnapshot | undefined;
    return row ?? null;
  }

  /** All of the batch in one transaction, or none of it (see BatchResult); resolves once synced. */
  async appendMany(sessionId: string, batch: readonly PendingEntry[]): Promise<BatchResult> {
    if (batch.length === 0) return { stored: true };
    const giveUp = Date.now() + BUSY_GIVE_UP_MS;
    for (;;) {
      try {
        return this.write(sessionId, batch);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() > giveUp) throw error;
        await sleep(2);
      }
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
