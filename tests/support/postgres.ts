/**
 * A throwaway PostgreSQL 15 from Debian's packages for the Postgres suites, the migration maker and
 * `npm run cluster`: initdb in a temp dir, a free port on 127.0.0.1, the unix socket in the temp dir,
 * everything removed on stop. Not the system service. Without the binaries the suites skip with one
 * loud line (`skipUnlessPostgres`).
 *
 * initdb refuses to run as root, so as root the server runs as the `postgres` user Debian's package
 * creates (node's spawn changes the uid itself: no runuser wrapper between us and the server's pid).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** Where Debian's `postgresql` package puts the server binaries; PG_BIN overrides it. */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

const isRoot = () => process.getuid?.() === 0;

/** The uid/gid to run the server as: ours, or `postgres` when we are root. Null when root has no `postgres` user. */
function serverUser(): { uid: number; gid: number } | null {
  if (!isRoot()) return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return null;
  }
}

/** Whether a throwaway server can be started here. */
export function postgresAvailable(): boolean {
  return fs.existsSync(path.join(PG_BIN, 'initdb')) && fs.existsSync(path.join(PG_BIN, 'postgres')) && serverUser() !== null;
}

let warned = false;
/**
 * True when the Postgres suites must skip, after saying so once per file in one loud line. CI
 * (.ci/run) installs the package, so there they run.
 */
export function skipUnlessPostgres(what: string): boolean {
  if (postgresAvailable()) return false;
  if (!warned) {
    warned = true;
    console.warn(`PostgreSQL not installed (no ${path.join(PG_BIN, 'initdb')}): ${what} skipped; apt-get install -y postgresql to run them`);
  }
  return true;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface TempPostgres {
  /** The port on 127.0.0.1. */
  port: number;
  /** The temp dir holding the data directory and the unix socket. */
  dir: string;
  /** A `postgresql://` URL for a database of this server. */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** The server's process, to SIGKILL it in a test. */
  process: ChildProcess;
  /** Stops the server at once and removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /**
   * `fast` (tests): fsync and full-page writes off. A test server is thrown away, so what a power
   * cut would do to it does not matter, and the suites run several times faster on a slow disk.
   * `durable`: PostgreSQL's defaults, for `npm run cluster` and its figures.
   */
  mode?: 'fast' | 'durable';
  /** Where to write the server's log (default: a file in the temp dir). */
  log?: 'file' | 'inherit';
}

/** Starts a throwaway PostgreSQL; resolves once it accepts connections. */
export async function startPostgres(options: PostgresOptions = {}): Promise<TempPostgres> {
  const user = serverUser();
  if (!user || !postgresAvailable()) throw new Error(`PostgreSQL is not installed in ${PG_BIN}: apt-get install -y postgresql`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'split-brain-pg-'));
  const data = path.join(dir, 'data');
  fs.chownSync(dir, user.uid, user.gid);
  const asServer = { uid: user.uid, gid: user.gid, env: { ...process.env, LC_ALL: 'C.UTF-8', HOME: dir } };
  execFileSync(path.join(PG_BIN, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], {
    ...asServer,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const port = await freePort();
  const fast = (options.mode ?? 'fast') === 'fast' ? ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off'] : [];
  const logFd = options.log === 'inherit' ? 'inherit' : fs.openSync(path.join(dir, 'postgres.log'), 'a');
  const child = spawn(
    path.join(PG_BIN, 'postgres'),
    ['-D', data, '-k', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...fast],
    { ...asServer, stdio: ['ignore', logFd, logFd] },
  );
  if (typeof logFd === 'number') fs.closeSync(logFd);
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const url = (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`;

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    // SIGQUIT is PostgreSQL's immediate shutdown: the data is thrown away anyway.
    if (!exited) child.kill('SIGQUIT');
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (!exited) child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A test run that dies still takes its server along (the data dir stays in /tmp).
  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      const log = fs.existsSync(path.join(dir, 'postgres.log')) ? fs.readFileSync(path.join(dir, 'postgres.log'), 'utf8').trim().split('\n').slice(-3).join(' | ') : '';
      await stop();
      throw new Error(`PostgreSQL exited at start: ${log}`);
    }
    const probe = new pg.Client({ connectionString: url() });
    try {
      await probe.connect();
      await probe.end();
      break;
    } catch (error) {
      await probe.end().catch(() => {});
      if (Date.now() > deadline) {
        await stop();
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  return {
    port,
    dir,
    url,
    process: child,
    async createDatabase(name) {
      const admin = new pg.Client({ connectionString: url() });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    stop,
  };
}
