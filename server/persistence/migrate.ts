import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

/** prisma/migrations of this repository, whatever the working directory. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

/** Byte for byte the table Prisma's schema engine creates on SQLite, so `prisma migrate` accepts the database later. */
const MIGRATIONS_TABLE_DDL = `CREATE TABLE "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  checksum: string;
  finished_at: string | null;
}

/** The timestamp format Prisma writes into `_prisma_migrations` on SQLite. */
const prismaTime = () => new Date().toISOString().replace('Z', '+00:00');

/**
 * Creates or upgrades the SQLite database at start-up without the Prisma CLI (which cannot run
 * offline): applies each prisma/migrations/<name>/migration.sql not yet recorded, in name order, one
 * transaction each, recording it in `_prisma_migrations` as `prisma migrate deploy` would. Idempotent.
 */
export function migrate(dbFile: string, migrationsDir: string = MIGRATIONS_DIR): void {
  const names = fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  const db = new Database(dbFile);
  try {
    db.pragma('journal_mode = WAL');
    // Prisma redefines SQLite tables (copy, DROP, rename) between `PRAGMA foreign_keys=OFF/ON`, which
    // are no-ops inside a transaction: with keys on, the DROP would cascade-delete every child row.
    // So keys are off for the whole run, and checked before each commit instead.
    db.pragma('foreign_keys = OFF');
    for (const name of names) {
      const sql = fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      db.transaction(() => {
        const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
        if (!hasTable) db.exec(MIGRATIONS_TABLE_DDL);
        const applied = db
          .prepare('SELECT checksum, finished_at FROM _prisma_migrations WHERE migration_name = ? AND rolled_back_at IS NULL')
          .all(name) as AppliedRow[];
        if (applied.some((row) => row.finished_at === null)) throw new Error(`migration ${name} failed earlier: resolve it before starting`);
        if (applied.length > 0) {
          if (!applied.some((row) => row.checksum === checksum)) throw new Error(`migration ${name} was edited after it was applied`);
          return;
        }
        const startedAt = prismaTime();
        db.exec(sql);
        const violation = db.pragma('foreign_key_check') as unknown[];
        if (violation.length > 0) throw new Error(`migration ${name} breaks foreign keys: ${JSON.stringify(violation[0])}`);
        db.prepare(
          'INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)',
        ).run(randomUUID(), checksum, prismaTime(), name, startedAt);
      }).immediate();
    }
  } finally {
    db.close();
  }
}
