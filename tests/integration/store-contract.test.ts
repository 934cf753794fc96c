import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { POSTGRES_MIGRATIONS_DIR, engineAdapterFactory, loadSchemaEngine, postgresEngineAdapterFactory, readMigrations } from '../../prisma/create-migration.ts';
import type { Command } from '../../server/sim/index.ts';
import { createMemoryStore } from '../../server/persistence/memory-store.ts';
import { MIGRATIONS_DIR, migrate } from '../../server/persistence/migrate.ts';
import { DatabaseInUseError } from '../../server/persistence/lock.ts';
import { PG_MIGRATIONS_DIR, migratePostgres } from '../../server/persistence/pg-migrate.ts';
import { PostgresInUseError, PostgresOpenError, createPgStore } from '../../server/persistence/pg-store.ts';
import { DatabaseOpenError, createPrismaStore } from '../../server/persistence/prisma-store.ts';
import { DuplicateCodeError, type LogEntry, type SessionRecord, type Store } from '../../server/persistence/store.ts';
import { skipUnlessPostgres, startPostgres, type TempPostgres } from '../support/postgres.ts';

let tmpDir = '';
let fileCount = 0;
beforeAll(() => {
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'split-brain-store-'));
});
afterAll(() => {
  fs.rmSync(tmpDir, { recursive: true, force: true });
});
const tempDbFile = () => path.join(tmpDir, `store-${++fileCount}.db`);

interface StoreFactory {
  /** True when this engine cannot run here (no PostgreSQL installed): its suite skips. */
  skip?: boolean;
  /** A new, empty store. */
  open(): Promise<Store>;
  /** Closes the store and opens the same storage again: only a durable store can. */
  reopen?: (store: Store) => Promise<Store>;
}

const session = (over: Partial<SessionRecord> = {}): SessionRecord => ({
  id: 'sess-1',
  code: 'ABC123',
  secretHash: 'scrypt$salt$hash',
  seed: 424242,
  createdAt: 1_767_225_600_123,
  ...over,
});

const post: Command = { type: 'post.create', opId: 'op-12345678', participantId: 'p1', parentId: null, text: 'héllo <b>' };
const join: Command = { type: 'participant.join', participantId: 'p1', name: 'Ada 🐙' };
const entry = (seq: number, key: string, command: Command = post): LogEntry => ({ seq, key, at: Date.now(), command });

/** Prisma's own schema engine finds no unapplied, edited or failed migration in the database behind `factory`. */
async function expectAcceptedByPrisma(factory: SqlMigrationAwareDriverAdapterFactory, migrationsDir: string): Promise<void> {
  const Engine = await loadSchemaEngine();
  const engine = await Engine.new({ datamodels: undefined }, () => {}, bindMigrationAwareSqlAdapterFactory(factory));
  try {
    const diagnosis = await engine.diagnoseMigrationHistory({
      migrationsList: readMigrations(migrationsDir),
      optInToShadowDatabase: false,
      filters: { externalTables: [], externalEnums: [] },
    });
    expect(diagnosis).toEqual({ editedMigrationNames: [], failedMigrationNames: [], hasMigrationsTable: true, history: null });
  } finally {
    engine.free();
  }
}

/** The behaviour every Store must have, whatever it keeps its data in. */
function storeContract(name: string, factory: StoreFactory): void {
  describe.skipIf(factory.skip)(`Store contract: ${name}`, () => {
    let store: Store;
    const start = async () => {
      store = await factory.open();
    };
    const stop = () => store.close();

    it('creates a session and finds it by code', async () => {
      await start();
      await store.createSession(session());
      expect(await store.findSessionByCode('ABC123')).toEqual(session());
      expect(await store.findSessionByCode('ZZZ999')).toBeNull();
      expect(await store.listSessions()).toEqual([session()]);
      await stop();
    });

    it('refuses a taken join code with DuplicateCodeError', async () => {
      await start();
      await store.createSession(session());
      await expect(store.createSession(session({ id: 'sess-2' }))).rejects.toBeInstanceOf(DuplicateCodeError);
      expect(await store.listSessions()).toHaveLength(1);
      await stop();
    });

    it('[REL1] appends entries and reads them back in seq order, commands and times intact', async () => {
      await start();
      await store.createSession(session());
      await store.createSession(session({ id: 'sess-2', code: 'XYZ789' }));
      const e0 = entry(0, 'join-p1', join);
      const e1 = entry(1, 'op-12345678');
      const e2 = entry(2, 'op-87654321', { type: 'post.like', opId: 'op-87654321', participantId: 'p1', postId: 'pinned' });
      for (const e of [e0, e2, e1]) expect(await store.append('sess-1', e)).toBe('stored');
      const log = await store.readLog('sess-1');
      expect(log).toEqual([e0, e1, e2]);
      expect(typeof log[0]?.at).toBe('number');
      expect(await store.readLog('sess-2')).toEqual([]);
      await stop();
    });

    it('[REL1] a command comes back as it went in: NUL, a lone surrogate, emoji, key order', async () => {
      await start();
      await store.createSession(session());
      const odd: Command = { text: 'a\u0000b \ud800 🐙 "q" \\', type: 'post.create', participantId: 'p1', opId: 'op-odd-0001', parentId: null };
      await store.append('sess-1', entry(0, 'op-odd-0001', odd));
      const [back] = await store.readLog('sess-1');
      expect(back?.command).toEqual(odd);
      expect(Object.keys(back?.command ?? {})).toEqual(Object.keys(odd));
      await stop();
    });

    it('[REL1] keeps the newest state snapshot per session, and reads the log from a seq on', async () => {
      await start();
      await store.createSession(session());
      await store.createSession(session({ id: 'sess-2', code: 'XYZ789' }));
      expect(await store.loadSnapshot('sess-1')).toBeNull();
      for (const seq of [0, 1, 2, 3]) expect(await store.append('sess-1', entry(seq, `k${seq}`))).toBe('stored');
      await store.saveSnapshot('sess-1', { seq: 1, at: 10, state: '{"a":1}' });
      await store.saveSnapshot('sess-1', { seq: 2, at: 20, state: '{"a":"héllo"}' });
      expect(await store.loadSnapshot('sess-1')).toEqual({ seq: 2, at: 20, state: '{"a":"héllo"}' });
      expect(await store.loadSnapshot('sess-2')).toBeNull();
      expect((await store.readLog('sess-1', 3)).map((e) => e.seq)).toEqual([3]);
      expect((await store.readLog('sess-1', 0)).map((e) => e.seq)).toEqual([0, 1, 2, 3]);
      if (factory.reopen) {
        store = await factory.reopen(store);
        expect(await store.loadSnapshot('sess-1')).toEqual({ seq: 2, at: 20, state: '{"a":"héllo"}' });
      }
      await stop();
    });

    it('[REL2] a retried key is a duplicate and changes nothing', async () => {
      await start();
      await store.createSession(session());
      const first = entry(0, 'op-12345678');
      expect(await store.append('sess-1', first)).toBe('stored');
      const retry = { ...entry(1, 'op-12345678'), command: { ...post, text: 'changed' } };
      expect(await store.append('sess-1', retry, { participantId: 'p9', tokenHash: 'th-retry' })).toBe('duplicate');
      expect(await store.readLog('sess-1')).toEqual([first]);
      expect(await store.findParticipantByToken('sess-1', 'th-retry')).toBeNull();
      await stop();
    });

    it('rejects a taken seq under a new key: a conflict, not a duplicate', async () => {
      await start();
      await store.createSession(session());
      const first = entry(0, 'op-1');
      await store.append('sess-1', first);
      await expect(store.append('sess-1', entry(0, 'op-2'))).rejects.toThrow();
      expect(await store.readLog('sess-1')).toEqual([first]);
      await stop();
    });

    it('rejects an entry for an unknown session', async () => {
      await start();
      await expect(store.append('nope', entry(0, 'op-1'))).rejects.toThrow();
      await stop();
    });

    it('stores the token with the join entry and finds the participant by it', async () => {
      await start();
      await store.createSession(session());
      await store.createSession(session({ id: 'sess-2', code: 'XYZ789' }));
      expect(await store.append('sess-1', entry(0, 'join-p1', join), { participantId: 'p1', tokenHash: 'th-1' })).toBe('stored');
      expect(await store.findParticipantByToken('sess-1', 'th-1')).toBe('p1');
      expect(await store.findParticipantByToken('sess-1', 'th-unknown')).toBeNull();
      expect(await store.findParticipantByToken('sess-2', 'th-1')).toBeNull();
      await stop();
    });

    it('[REL4] the next seq is the stored maximum + 1, not the number of entries', async () => {
      await start();
      await store.createSession(session());
      await store.createSession(session({ id: 'sess-2', code: 'XYZ789' }));
      expect(await store.nextSeq('sess-1')).toBe(0);
      await store.append('sess-1', entry(0, 'op-1'));
      await store.append('sess-1', entry(1, 'op-2'));
      await store.append('sess-1', entry(5, 'op-3'));
      expect(await store.nextSeq('sess-1')).toBe(6);
      expect(await store.nextSeq('sess-2')).toBe(0);
      await stop();
    });

    it('[REL1] appendMany stores a batch in one go, tokens included', async () => {
      await start();
      await store.createSession(session());
      const batch = [{ entry: entry(0, 'join-p1', join), token: { participantId: 'p1', tokenHash: 'th-1' } }, { entry: entry(1, 'op-1') }, { entry: entry(2, 'op-2') }];
      expect(await store.appendMany('sess-1', batch)).toEqual({ stored: true });
      expect(await store.readLog('sess-1')).toEqual(batch.map((b) => b.entry));
      expect(await store.findParticipantByToken('sess-1', 'th-1')).toBe('p1');
      expect(await store.nextSeq('sess-1')).toBe(3);
      expect(await store.appendMany('sess-1', [])).toEqual({ stored: true });
      await stop();
    });

    it('[REL4] appendMany stores nothing when a key is already stored or repeats in the batch, and says which', async () => {
      await start();
      await store.createSession(session());
      const first = entry(0, 'op-1');
      await store.append('sess-1', first);
      const tokenEntry = { entry: entry(1, 'join-p2', join), token: { participantId: 'p2', tokenHash: 'th-2' } };
      expect(await store.appendMany('sess-1', [tokenEntry, { entry: entry(2, 'op-1') }, { entry: entry(3, 'op-3') }])).toEqual({ stored: false, duplicates: [1] });
      expect(await store.appendMany('sess-1', [{ entry: entry(1, 'op-2') }, { entry: entry(2, 'op-2') }])).toEqual({ stored: false, duplicates: [1] });
      expect(await store.readLog('sess-1')).toEqual([first]);
      expect(await store.findParticipantByToken('sess-1', 'th-2')).toBeNull();
      await expect(store.appendMany('sess-1', [{ entry: entry(0, 'op-9') }])).rejects.toThrow();
      expect(await store.readLog('sess-1')).toEqual([first]);
      await stop();
    });

    it('[SEC6] a session ends once: the first end is kept', async () => {
      await start();
      await store.createSession(session());
      await store.endSession('sess-1', 1_767_225_700_000, 'instructor');
      await store.endSession('sess-1', 1_767_225_800_000, 'idle');
      expect(await store.findSessionByCode('ABC123')).toEqual({ ...session(), endedAt: 1_767_225_700_000, endReason: 'instructor' });
      await expect(store.endSession('nope', 1, 'idle')).rejects.toThrow();
      await stop();
    });

    it.skipIf(!factory.reopen)('[REL1] everything survives closing and reopening', async () => {
      await start();
      await store.createSession(session());
      const log = [entry(0, 'join-p1', join), entry(1, 'op-12345678')];
      await store.append('sess-1', log[0]!, { participantId: 'p1', tokenHash: 'th-1' });
      await store.append('sess-1', log[1]!);
      store = await factory.reopen!(store);
      expect(await store.listSessions()).toEqual([session()]);
      expect(await store.readLog('sess-1')).toEqual(log);
      expect(await store.findParticipantByToken('sess-1', 'th-1')).toBe('p1');
      expect(await store.append('sess-1', entry(2, 'op-12345678'))).toBe('duplicate');
      expect(await store.nextSeq('sess-1')).toBe(2);
      await store.endSession('sess-1', 1_767_225_700_000, 'idle');
      store = await factory.reopen!(store);
      expect(await store.listSessions()).toEqual([{ ...session(), endedAt: 1_767_225_700_000, endReason: 'idle' }]);
      await stop();
    });
  });
}

storeContract('memory', { open: () => Promise.resolve(createMemoryStore()) });

/** A durable engine's factory: `create` opens the storage at a place `fresh` makes; reopening opens the same place. */
function durable(fresh: () => Promise<string>, create: (where: string) => Promise<Store>, skip = false): StoreFactory {
  const places = new WeakMap<Store, string>();
  const openAt = async (where: string) => {
    const store = await create(where);
    places.set(store, where);
    return store;
  };
  return {
    skip,
    open: async () => openAt(await fresh()),
    async reopen(store) {
      await store.close();
      return openAt(places.get(store)!);
    },
  };
}

storeContract('SQLite (Prisma)', durable(() => Promise.resolve(tempDbFile()), createPrismaStore));

/** One throwaway PostgreSQL for the file, started by the first Postgres test, a fresh database per store. */
let postgres: Promise<TempPostgres> | undefined;
let databaseCount = 0;
const pgSkip = skipUnlessPostgres('the PostgreSQL store suites ([PG1])');
const freshPgUrl = async () => (await (postgres ??= startPostgres())).createDatabase(`store_${++databaseCount}`);
afterAll(async () => {
  await (await postgres)?.stop();
});

storeContract('[PG1] PostgreSQL (Prisma)', durable(freshPgUrl, createPgStore, pgSkip));

describe.skipIf(pgSkip)('[PG1] PostgreSQL: one process, clear failures, migrations Prisma accepts', () => {
  it('[PG1] a second store on the same database is refused until the first closes (REL8)', async () => {
    const url = await freshPgUrl();
    const first = await createPgStore(url);
    await expect(createPgStore(url)).rejects.toBeInstanceOf(PostgresInUseError);
    await first.close();
    const second = await createPgStore(url);
    await second.close();
  });

  it('[PG1] an unreachable server or a missing database names where, password masked (REL6)', async () => {
    const server = await (postgres ??= startPostgres());
    const missing = `postgresql://postgres:s3cret@127.0.0.1:${server.port}/no_such_db`;
    await expect(createPgStore(missing)).rejects.toBeInstanceOf(PostgresOpenError);
    await expect(createPgStore(missing)).rejects.toThrow(/cannot open the PostgreSQL database postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/no_such_db: .*no_such_db/);
    await expect(createPgStore('postgresql://postgres@127.0.0.1:1/x')).rejects.toThrow(/cannot open the PostgreSQL database postgresql:\/\/postgres@127\.0\.0\.1:1\/x: .*ECONNREFUSED/);
  });

  it("[PG1] migrations are recorded with Prisma's checksums, applied once, and accepted by Prisma's schema engine", async () => {
    const url = await freshPgUrl();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await migratePostgres(client);
      await migratePostgres(client);
      const { rows } = await client.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
        'SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
      );
      const names = fs.readdirSync(PG_MIGRATIONS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
      expect(names.length).toBeGreaterThan(0);
      expect(rows).toEqual(
        names.map((name) => ({
          migration_name: name,
          checksum: createHash('sha256').update(fs.readFileSync(path.join(PG_MIGRATIONS_DIR, name, 'migration.sql'))).digest('hex'),
          applied_steps_count: 1,
        })),
      );
    } finally {
      await client.end();
    }
    await expectAcceptedByPrisma(postgresEngineAdapterFactory(url), POSTGRES_MIGRATIONS_DIR);
  });
});

describe('[REL8] one server process per database file', () => {
  it('[REL8] a second store on the same file is refused until the first closes', async () => {
    const file = tempDbFile();
    const first = await createPrismaStore(file);
    await expect(createPrismaStore(file)).rejects.toBeInstanceOf(DatabaseInUseError);
    await expect(createPrismaStore(file)).rejects.toThrow(file);
    await first.close();
    const second = await createPrismaStore(file);
    await second.close();
  });
});

describe('[REL6] opening a bad database names the file and the reason', () => {
  it('[REL6] a directory, and a file that is not SQLite', async () => {
    const dirPath = fs.mkdtempSync(path.join(tmpDir, 'a-dir-'));
    await expect(createPrismaStore(dirPath)).rejects.toThrow(`cannot open the SQLite database ${dirPath}: the path is a directory`);
    const junk = tempDbFile();
    fs.writeFileSync(junk, 'not a database, only text. '.repeat(40));
    await expect(createPrismaStore(junk)).rejects.toThrow(new RegExp(`cannot open the SQLite database ${junk}: the file is not a SQLite database`));
    // A refused open keeps no lock: the next try gets the same clear answer, not "in use".
    await expect(createPrismaStore(junk)).rejects.toBeInstanceOf(DatabaseOpenError);
  });
});

describe('migrate (SQLite)', () => {
  const migrationNames = () =>
    fs.readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const rows = (file: string) => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare('SELECT * FROM _prisma_migrations ORDER BY migration_name').all() as Array<Record<string, unknown>>;
    } finally {
      db.close();
    }
  };

  it('records one row per migration, with the sha256 of the file, as Prisma does', () => {
    const file = tempDbFile();
    migrate(file);
    const names = migrationNames();
    expect(names.length).toBeGreaterThan(0);
    const recorded = rows(file);
    expect(recorded.map((r) => r.migration_name)).toEqual(names);
    for (const [i, name] of names.entries()) {
      const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, name, 'migration.sql'));
      const row = recorded[i];
      expect(row).toMatchObject({ checksum: createHash('sha256').update(sql).digest('hex'), rolled_back_at: null, logs: null, applied_steps_count: 1 });
      expect(row?.finished_at).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+\+00:00$/);
      expect(row?.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('is a no-op the second time', () => {
    const file = tempDbFile();
    migrate(file);
    const before = rows(file);
    migrate(file);
    expect(rows(file)).toEqual(before);
  });

  it("is accepted by Prisma's own schema engine: no unapplied, edited or failed migration", async () => {
    const file = tempDbFile();
    migrate(file);
    await expectAcceptedByPrisma(engineAdapterFactory(`file:${file}`), MIGRATIONS_DIR);
  });

  it('[REL1] a later migration that redefines a parent table keeps the child rows', async () => {
    // What the engine writes for a new column on Session: copy, DROP, rename between foreign_keys OFF/ON.
    const dir = fs.mkdtempSync(path.join(tmpDir, 'migrations-'));
    fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    fs.mkdirSync(path.join(dir, '99990101000000_add_title'));
    fs.writeFileSync(
      path.join(dir, '99990101000000_add_title', 'migration.sql'),
      `PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Session" ("id" TEXT NOT NULL PRIMARY KEY, "code" TEXT NOT NULL, "secretHash" TEXT NOT NULL, "seed" INTEGER NOT NULL, "title" TEXT NOT NULL DEFAULT '', "createdAt" DATETIME NOT NULL);
INSERT INTO "new_Session" ("code", "createdAt", "id", "secretHash", "seed") SELECT "code", "createdAt", "id", "secretHash", "seed" FROM "Session";
DROP TABLE "Session";
ALTER TABLE "new_Session" RENAME TO "Session";
CREATE UNIQUE INDEX "Session_code_key" ON "Session"("code");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`,
    );
    const file = tempDbFile();
    const store = await createPrismaStore(file);
    await store.createSession(session());
    await store.append('sess-1', entry(0, 'join-p1', join), { participantId: 'p1', tokenHash: 'th-1' });
    await store.close();

    migrate(file, dir);
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM LogEntry').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT count(*) AS n FROM ParticipantToken').get()).toEqual({ n: 1 });
    db.close();
    expect(rows(file).map((r) => r.migration_name)).toEqual([...migrationNames(), '99990101000000_add_title']);
  });
});
