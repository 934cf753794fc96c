import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

/** prisma/postgres/migrations of this repository, whatever the working directory. */
export const PG_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/postgres/migrations/', import.meta.url));

/** The table Prisma's schema engine creates on PostgreSQL (IF NOT EXISTS added), so `prisma migrate` accepts the database later. */
const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Serialises migrations between processes starting at once on one database (the cluster): a
 * transaction-scoped advisory lock, so it cannot outlive a crash. The number is arbitrary and
 * only has to differ from the store's other advisory locks.
 */
const MIGRATE_LOCK = 7_314_001;

interface AppliedRow {
  checksum: string;
  finished_at: Date | null;
}

/**
 * Creates or upgrades the PostgreSQL database at start-up, the way migrate.ts does for SQLite:
 * each prisma/postgres/migrations/<name>/migration.sql not yet recorded, in name order, one
 * transaction each (PostgreSQL's DDL is transactional), recorded in `_prisma_migrations` as
 * `prisma migrate deploy` would. Idempotent, and safe when several processes start together.
 */
export async function migratePostgres(client: pg.ClientBase, migrationsDir: string = PG_MIGRATIONS_DIR): Promise<void> {
  const names = fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const name of names) {
    const sql = fs.readFileSync(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
    const checksum = createHash('sha256').update(sql).digest('hex');
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK]);
      await client.query(MIGRATIONS_TABLE_DDL);
      const { rows } = await client.query<AppliedRow>(
        'SELECT checksum, finished_at FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL',
        [name],
      );
      if (rows.some((row) => row.finished_at === null)) throw new Error(`migration ${name} failed earlier: resolve it before starting`);
      if (rows.length > 0) {
        if (!rows.some((row) => row.checksum === checksum)) throw new Error(`migration ${name} was edited after it was applied`);
        await client.query('COMMIT');
        continue;
      }
      const startedAt = new Date();
      // No parameters: the simple query protocol, which runs every statement of the file.
      await client.query(sql);
      await client.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)',
        [randomUUID(), checksum, name, startedAt],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }
}
