/**
 * The composition root: one HTTP server for the Next.js pages and Socket.IO, on PORT (3000).
 * In production it builds the pages first if no build exists, and it creates or migrates the
 * SQLite database by itself, so `npm start` on a fresh clone needs nothing else.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import next from 'next';
import { startServer } from './app.ts';
import { ROOT, readEnv } from './env.ts';
import { createPrismaStore } from './persistence/prisma-store.ts';

const env = readEnv();
const dev = env.NODE_ENV !== 'production';

if (!dev && !existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
  console.log('No production build yet: running `next build` once (about a minute)...');
  const build = spawnSync('npx', ['next', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const started = Date.now();
const nextApp = next({ dev, dir: ROOT });
await nextApp.prepare();
const store = await createPrismaStore(env.databaseFile);
const server = await startServer({
  port: env.PORT,
  host: env.HOST,
  store,
  pages: nextApp.getRequestHandler(),
  upgrade: nextApp.getUpgradeHandler(),
  rateLimit: env.rateLimit,
  allowedOrigins: env.allowedOrigins,
  trustProxy: env.trustProxy,
});
console.log(`Split-Brain Lab is ready on ${server.url} (${dev ? 'development' : 'production'}, SQLite at ${path.relative(ROOT, env.databaseFile)}, ${Date.now() - started} ms)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().finally(() => process.exit(0));
  });
}
