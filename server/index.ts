/**
 * The composition root: one HTTP server for the Next.js pages and Socket.IO, on PORT (3000).
 * It opens (creates, migrates, locks) the database DATABASE_URL names first (SQLite by default,
 * or PostgreSQL), so a bad path or a second server
 * on the same file fails at once; then, in production, it builds the pages if no build exists.
 * `npm start` on a fresh clone needs nothing else.
 * With CLUSTER=1 on PostgreSQL it is one of several processes sharing the database's sessions
 * (server/realtime/cluster): leases instead of the one-process lock, and the Socket.IO adapter's pool.
 *
 * A start-up failure exits 1 with one line naming what failed and where (REL6). SIGTERM and SIGINT
 * stop it gracefully (REL7): `npm start` execs node, so the signal npm forwards reaches this process.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from './app.ts';
import { ROOT, readEnv, type Database } from './env.ts';
import { createPgStore, shownUrl } from './persistence/pg-store.ts';
import { createPrismaStore } from './persistence/prisma-store.ts';
import type { Store } from './persistence/store.ts';
import { adapterPool, type ClusterDeps } from './realtime/cluster/index.ts';
import { lanAddresses } from './realtime/origins.ts';

/** A graceful stop that takes longer than this (a stuck client, a stuck disk) ends the process anyway. */
const STOP_DEADLINE_MS = 4000;

/** Relative to the repository when inside it, else absolute. */
const shownPath = (file: string) => (file.startsWith(ROOT + path.sep) ? path.relative(ROOT, file) : file);

const oneLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');

/**
 * The store of the engine DATABASE_URL chose, and how the ready line names it. With CLUSTER=1 on
 * PostgreSQL this process is one of several: no one-process lock, leases, and the Socket.IO adapter's pool.
 */
async function openStore(database: Database, clustered: boolean): Promise<{ store: Store; shown: string; cluster?: ClusterDeps }> {
  switch (database.engine) {
    case 'sqlite':
      if (clustered) throw new Error('CLUSTER=1 needs a PostgreSQL DATABASE_URL: processes share sessions through the database');
      return { store: await createPrismaStore(database.file), shown: `SQLite at ${shownPath(database.file)}` };
    case 'postgres': {
      if (!clustered) return { store: await createPgStore(database.url), shown: `PostgreSQL at ${shownUrl(database.url)}` };
      const owner = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
      const store = await createPgStore(database.url, { owner });
      const pool = await adapterPool(database.url).catch(async (error: unknown) => {
        await store.close();
        throw error;
      });
      return { store, shown: `PostgreSQL at ${shownUrl(database.url)}, cluster member ${owner}`, cluster: { leases: store.leases, pool } };
    }
  }
}

/** Next.js's handlers, after building once in production when there is no build yet. */
async function preparePages(dev: boolean): Promise<Pick<ServerOptions, 'pages' | 'upgrade'>> {
  if (!dev && !existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
    console.log('No production build yet: running `next build` once (about a minute)...');
    const build = spawnSync('npx', ['next', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error(`\`next build\` in ${ROOT} failed (exit ${build.status ?? build.signal})`);
  }
  const { default: next } = await import('next');
  const nextApp = next({ dev, dir: ROOT });
  await nextApp.prepare();
  return { pages: nextApp.getRequestHandler(), upgrade: nextApp.getUpgradeHandler() };
}

/** Opens the database, prepares the pages, listens; returns the server and its ready line. */
async function main(): Promise<{ server: RunningServer; ready: string }> {
  const started = Date.now();
  const env = readEnv();
  const dev = env.NODE_ENV !== 'production';
  const { store, shown, cluster } = await openStore(env.database, env.CLUSTER === '1');
  try {
    const pages = env.SERVE_PAGES === 'on' ? await preparePages(dev) : {};
    const server = await startServer({
      port: env.PORT,
      host: env.HOST,
      store,
      ...pages,
      rateLimit: env.rateLimit,
      allowedOrigins: env.allowedOrigins,
      trustProxy: env.trustProxy,
      // REL1: the port opens at once; a session still loading answers `loading` until it is served.
      awaitRestore: false,
      ...(env.idleMs === undefined ? {} : { idleMs: env.idleMs }),
      ...(cluster ? { cluster } : {}),
    });
    if (cluster) {
      const close = server.close.bind(server);
      server.close = () => close().finally(() => cluster.pool.end());
    }
    const mode = `${dev ? 'development' : 'production'}${env.SERVE_PAGES === 'on' ? '' : ', no pages'}`;
    // On a LAN the class opens one of these (the board's QR shows the URL the board was opened at).
    const lan = env.HOST === '0.0.0.0' ? lanAddresses().map((ip) => `http://${ip}:${server.port}`) : [];
    const share = lan.length > 0 ? `\nStudents on this network can open: ${lan.join('  ')}` : '';
    return { server, ready: `Split-Brain Lab is ready on ${server.url} (${mode}, ${shown}, ${Date.now() - started} ms)${share}` };
  } catch (error) {
    await store.close().catch(() => {});
    await cluster?.pool.end().catch(() => {});
    throw error;
  }
}

/**
 * Installed before anything starts: a signal that comes during start-up ends the process at once
 * (SQLite's transactions keep the file safe, and the OS drops the lock), one that comes later
 * stops the running server gracefully. Installed late, a signal right after the ready line
 * could still meet node's default action.
 */
function stopOnSignals(running: () => RunningServer | null): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      const server = running();
      if (!server) {
        console.log(`${signal} during start-up: stopped before serving.`);
        process.exit(0);
      }
      console.log(`${signal}: stopping; what was received is stored and answered first...`);
      setTimeout(() => {
        console.error(`Split-Brain Lab did not stop within ${STOP_DEADLINE_MS} ms: exiting anyway`);
        process.exit(1);
      }, STOP_DEADLINE_MS).unref();
      server.close().then(
        () => {
          console.log('Split-Brain Lab stopped.');
          process.exit(0);
        },
        (error: unknown) => {
          console.error(`Split-Brain Lab did not stop cleanly: ${oneLine(error)}`);
          process.exit(1);
        },
      );
    });
  }
}

let running: RunningServer | null = null;
stopOnSignals(() => running);
try {
  const started = await main();
  running = started.server;
  console.log(started.ready);
} catch (error) {
  console.error(`Split-Brain Lab did not start: ${oneLine(error)}`);
  process.exit(1);
}
