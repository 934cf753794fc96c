/**
 * [PG1] DATABASE_URL chooses the engine, and `npm start`'s server runs on PostgreSQL: it migrates
 * an empty database, says where it is, and a second server on the same database is refused (REL8).
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, readEnv } from '../../server/env.ts';
import { skipUnlessPostgres, startPostgres, type TempPostgres } from '../support/postgres.ts';

describe('[PG1] DATABASE_URL chooses the engine', () => {
  it('[PG1] file: is SQLite, postgres:// and postgresql:// are PostgreSQL, anything else is refused', () => {
    expect(readEnv({ NODE_ENV: 'test' }).database).toEqual({ engine: 'sqlite', file: `${ROOT}/prisma/splitbrain.db` });
    expect(readEnv({ NODE_ENV: 'test', DATABASE_URL: 'file:/tmp/x.db' }).database).toEqual({ engine: 'sqlite', file: '/tmp/x.db' });
    for (const url of ['postgres://u:p@db:5432/lab', 'postgresql://u@localhost/lab?sslmode=require']) {
      expect(readEnv({ NODE_ENV: 'test', DATABASE_URL: url }).database).toEqual({ engine: 'postgres', url });
    }
    for (const url of ['mysql://u@db/lab', './prisma/x.db', 'postgresql:lab']) {
      expect(() => readEnv({ NODE_ENV: 'test', DATABASE_URL: url })).toThrow(/DATABASE_URL must be a SQLite file URL .* or a PostgreSQL URL/);
    }
  });
});

const skip = skipUnlessPostgres('the PostgreSQL server process test ([PG1])');
describe.skipIf(skip)('[PG1] the server process on PostgreSQL', () => {
  let postgres: TempPostgres | undefined;
  afterAll(async () => {
    await postgres?.stop();
  });

  it('[PG1] starts on an empty database and names it; a second server on it exits 1 saying it is in use (REL8)', async () => {
    postgres = await startPostgres();
    const url = await postgres.createDatabase('lab');
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production' as const, SERVE_PAGES: 'off', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: url };
    const first = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      first.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      while (!out.includes('\n')) await once(first.stdout, 'data');
      expect(out).toMatch(`ready on http://127.0.0.1:`);
      expect(out).toContain(`PostgreSQL at ${url}`);
      const second = spawnSync(process.execPath, ['--import', 'tsx', 'server/index.ts'], { cwd: ROOT, env, encoding: 'utf8' });
      expect(second.status).toBe(1);
      expect(second.stderr.trim()).toBe(
        `Split-Brain Lab did not start: the database ${url} is in use by another Split-Brain Lab server process: stop it first, or give this one its own DATABASE_URL`,
      );
    } finally {
      first.kill('SIGTERM');
      if (first.exitCode === null) await once(first, 'exit');
    }
    expect(first.exitCode).toBe(0);
  }, 60_000);
});
