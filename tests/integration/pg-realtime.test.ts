/**
 * [PG1] The realtime integration suite, unchanged, on the PostgreSQL store: every test of
 * realtime.test.ts gets a real server on a fresh database of a throwaway PostgreSQL.
 */
import { afterAll, describe } from 'vitest';
import { createPgStore } from '../../server/persistence/pg-store.ts';
import { skipUnlessPostgres, startPostgres, type TempPostgres } from '../support/postgres.ts';
import { storePerTest } from '../support/server.ts';

const skip = skipUnlessPostgres('the realtime suite on PostgreSQL ([PG1])');
let postgres: Promise<TempPostgres> | undefined;
let databases = 0;

describe.skipIf(skip)('[PG1] the realtime suite on PostgreSQL', async () => {
  storePerTest(async () => createPgStore(await (await (postgres ??= startPostgres())).createDatabase(`realtime_${++databases}`)));
  afterAll(async () => {
    await (await postgres)?.stop();
  });
  if (!skip) await import('./realtime.test.ts');
});
