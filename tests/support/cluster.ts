/**
 * Cluster members for the two-process suites (MP1, MP2), `npm run cluster` and `bench:live`: the real
 * server in cluster mode on a shared PostgreSQL database, either in this process (a second Socket.IO
 * server with its own store, leases and adapter: MP1) or as a child process of `server/index.ts` that a
 * test can SIGKILL (MP2).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app.ts';
import { createPgStore, type Leases } from '../../server/persistence/pg-store.ts';
import { adapterPool } from '../../server/realtime/cluster/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

const leasesOfMember = new WeakMap<RunningServer, Leases>();

/** An in-process member's leases, for a test to expire one as if the member had paused past it. */
export function leasesOf(member: RunningServer): Leases {
  const leases = leasesOfMember.get(member);
  if (!leases) throw new Error('not a member started by startMember');
  return leases;
}

/** A member in this process, on port 0: its own store (cluster mode), leases and adapter pool. */
export async function startMember(url: string, options: Partial<Pick<ServerOptions, 'rateLimit' | 'log' | 'allowedOrigins'>> = {}): Promise<RunningServer> {
  const owner = `member-${randomBytes(3).toString('hex')}`;
  const store = await createPgStore(url, { owner });
  const pool = await adapterPool(url);
  const server = await startServer({ port: 0, host: '127.0.0.1', store, rateLimit: null, log: () => {}, ...options, cluster: { leases: store.leases, pool } });
  const close = server.close.bind(server);
  server.close = () => close().finally(() => pool.end());
  leasesOfMember.set(server, store.leases);
  return server;
}

export interface ChildMember {
  process: ChildProcess;
  port: number;
  url: string;
  /** What it wrote to stdout and stderr: takeovers and failed writes show up here. */
  output: string[];
}

/**
 * `server/index.ts` as a child process in cluster mode (CLUSTER=1, no pages, no write limits),
 * resolved once it prints its ready line. `port` 0 picks a free one.
 */
export function spawnMember(databaseUrl: string, port = 0, env: Record<string, string> = {}, echo?: (text: string) => void): Promise<ChildMember> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/index.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      CLUSTER: '1',
      PORT: String(port),
      HOST: '127.0.0.1',
      SERVE_PAGES: 'off',
      WRITE_RATE_LIMIT: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => {
    output.push(chunk.toString());
    echo?.(chunk.toString());
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      echo?.(chunk.toString());
      out += chunk.toString();
      const match = /ready on http:\/\/[^:]+:(\d+)/.exec(out);
      if (match) {
        out = '';
        resolve({ process: child, port: Number(match[1]), url: `http://127.0.0.1:${match[1]}`, output });
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`cluster member exited (${code ?? signal}) before it was ready:\n${output.join('')}`)));
  });
}

/** SIGKILL: no shutdown hook runs, the lease is left to expire. */
export function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
