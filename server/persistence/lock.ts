import Database from 'better-sqlite3';

/** Refused because another live server process holds the database (REL8). */
export class DatabaseInUseError extends Error {
  constructor(readonly dbFile: string) {
    super(`the database ${dbFile} is in use by another Split-Brain Lab server process: stop it first, or give this one its own DATABASE_URL`);
    this.name = 'DatabaseInUseError';
  }
}

export interface DatabaseLock {
  release(): void;
}

/**
 * One server process per database file (REL8). Two processes on one file would each keep their own
 * sessions in memory and race on the log. The lock is SQLite's own exclusive lock on a sidecar
 * file (`<db>-lock`, beside `-wal` and `-shm`): an OS file lock, so it is released when the holder
 * exits for any reason, SIGKILL included, and no stale lock can outlive a crash. Taken in the same
 * process twice, it is refused too (SQLite tracks its locks per file, not per connection).
 */
export function lockDatabase(dbFile: string): DatabaseLock {
  const db = new Database(`${dbFile}-lock`, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') throw new DatabaseInUseError(dbFile);
    throw error;
  }
  return {
    release() {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}
