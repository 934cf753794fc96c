/**
 * The real server without Next.js pages on a SQLite file, as a child process that a test can
 * `kill -9` and start again on the same file and port (REL10). Prints `listening <port>` once
 * it accepts sockets; server log lines go to stderr.
 *
 *   CHILD_DB=/tmp/x.db CHILD_PORT=0 node --import tsx tests/support/child-server.ts
 */
import { startServer } from '../../server/app.ts';
import { createPrismaStore } from '../../server/persistence/prisma-store.ts';

const file = process.env.CHILD_DB;
if (!file) throw new Error('CHILD_DB (the SQLite file) is required');
const store = await createPrismaStore(file);
const server = await startServer({
  port: Number(process.env.CHILD_PORT ?? 0),
  host: '127.0.0.1',
  store,
  // The chaos writes faster than a person; the limits are tested elsewhere (SEC3, SEC5).
  rateLimit: null,
  log: (message) => process.stderr.write(`${message}\n`),
});
process.stdout.write(`listening ${server.port}\n`);
