/**
 * `npm run cluster`: the whole recipe for several processes on one machine, without Docker. A
 * throwaway PostgreSQL from Debian's packages (initdb in a temp dir, a free port: the same one the
 * tests start), two server processes in cluster mode on free ports, and the http-proxy front
 * (scripts/cluster-proxy.ts) on PORT (3000). Ctrl-C stops the processes, the proxy and PostgreSQL,
 * and removes the temp dir.
 *
 *   npm run cluster     # MEMBERS=3: three processes; DATABASE_URL=postgresql://...: your own database; SERVE_PAGES=off: sockets only
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { lanAddresses } from '../server/realtime/origins.ts';
import { killHard, spawnMember, type ChildMember } from '../tests/support/cluster.ts';
import { startPostgres, type TempPostgres } from '../tests/support/postgres.ts';
import { startProxy, type RunningProxy } from './cluster-proxy.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const count = Number(process.env.MEMBERS ?? 2);

let postgres: TempPostgres | null = null;
let proxy: RunningProxy | null = null;
const members: ChildMember[] = [];

async function stop(code: number): Promise<never> {
  // SIGTERM: each member stores and answers what it received, then releases its leases (REL7).
  await Promise.all(
    members.map(
      (m) =>
        new Promise<void>((resolve) => {
          if (m.process.exitCode !== null || m.process.signalCode !== null) return resolve();
          const deadline = setTimeout(() => void killHard(m.process).then(resolve), 6000);
          m.process.once('exit', () => {
            clearTimeout(deadline);
            resolve();
          });
          m.process.kill('SIGTERM');
        }),
    ),
  );
  await proxy?.close();
  await postgres?.stop();
  process.exit(code);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the cluster...`);
    void stop(0);
  });
}

try {
  const pages = process.env.SERVE_PAGES ?? 'on';
  if (pages === 'on' && !existsSync(path.join(ROOT, '.next', 'BUILD_ID'))) {
    // Once, here: two members building at the same time would each build.
    console.log('No production build yet: running `next build` once (about a minute)...');
    const build = spawnSync('npx', ['next', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('`next build` failed');
  }
  let url = process.env.DATABASE_URL;
  if (!url?.startsWith('postgres')) {
    postgres = await startPostgres({ mode: 'durable' });
    url = await postgres.createDatabase('splitbrain');
    console.log(`PostgreSQL ${postgres.port} in ${postgres.dir} (removed on Ctrl-C)`);
  }
  proxy = await startProxy(port, host);
  // The members answer only to the proxy's public names (SEC7) and count the address it appends (SEC5).
  const names = ['localhost', '127.0.0.1', hostname(), ...(host === '0.0.0.0' ? lanAddresses() : [host])];
  const env = {
    SERVE_PAGES: pages,
    WRITE_RATE_LIMIT: process.env.WRITE_RATE_LIMIT ?? '30/10',
    TRUST_PROXY: '1',
    ALLOWED_ORIGINS: [...new Set(names)].map((name) => `http://${name}:${proxy!.port}`).join(','),
  };
  const started = await Promise.all(Array.from({ length: count }, (_, i) => spawnMember(url, 0, env, (text) => process.stdout.write(text.replace(/^(?=.)/gm, `[member ${i + 1}] `)))));
  members.push(...started);
  proxy.targets.push(...members.map((m) => m.url));
  const shown = host === '0.0.0.0' ? 'localhost' : host;
  console.log(`Split-Brain Lab cluster is ready on http://${shown}:${proxy.port}: ${count} processes (${members.map((m) => m.port).join(', ')}) behind http-proxy, Ctrl-C stops everything`);
  for (const [i, member] of members.entries()) {
    member.process.once('exit', (code, signal) => {
      if (!stopping) console.log(`[member ${i + 1}] exited (${code ?? signal}): its sessions move to the others once their leases expire`);
    });
  }
} catch (error) {
  console.error(`The cluster did not start: ${error instanceof Error ? error.message : String(error)}`);
  await stop(1);
}
