/**
 * Builds the one HTTP server: Next.js pages (optional, so realtime tests can start without a
 * build) and Socket.IO on the same port. Tests call this with an in-memory or temp-file store.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Server } from 'socket.io';
import { apiHandler } from './export/http.ts';
import type { Store } from './persistence/store.ts';
import type { Limits, RateLimit } from './realtime/guard.ts';
import { allowedHost, allowedOrigin, clientAddress, publicOrigins, type PublicOrigins } from './realtime/origins.ts';
import type { ClusterDeps } from './realtime/cluster/index.ts';
import { createRealtime, type AppServer, type Realtime } from './realtime/index.ts';
import type { Clock } from './realtime/session-runtime.ts';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface ServerOptions {
  port: number;
  host?: string;
  store: Store;
  clock?: Clock;
  /** Next.js's request handler; without it every HTTP request that is not Socket.IO gets a 404. */
  pages?: RequestHandler;
  /** Next.js's upgrade handler (its dev server's hot reload); Socket.IO keeps its own path. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void | Promise<void>;
  log?: (message: string) => void;
  /** Per-participant write limit (SEC3); null turns every write and join limit off (SEC5). Defaults to DEFAULT_RATE_LIMIT. */
  rateLimit?: RateLimit | null;
  /** Overrides of single SEC5 limits (tests use small ones); ignored when `rateLimit` is null. */
  limits?: Partial<Limits>;
  /** Take the client's address from X-Forwarded-For (TRUST_PROXY): only behind a proxy that sets it. */
  trustProxy?: boolean;
  /** Origins besides the server's own that may open sockets and name it in Host (a proxy's public address). */
  allowedOrigins?: readonly string[];
  /** Next.js runs in development mode (its scripts need eval); by default unless NODE_ENV is production or test. */
  dev?: boolean;
  /** Sessions with no write for this long end by themselves (SEC6); absent: never. */
  idleMs?: number;
  /**
   * Resolve only once every stored session is served (the default, for tests), or as soon as the
   * port is open (`npm start`: sessions still loading answer `loading`).
   */
  awaitRestore?: boolean;
  /** How often a session's state is snapshotted (REL1); absent: every 10K ops, at most once a minute. */
  snapshotEvery?: { ops: number; ms: number };
  /** Cluster mode: several processes on one PostgreSQL database share the sessions (server/realtime/cluster). */
  cluster?: ClusterDeps;
}

/**
 * SEC8: the headers of every page. Scripts run only with this response's nonce (Next.js reads it
 * from the request's CSP header and puts it on its own scripts; 'strict-dynamic' lets them load
 * their chunks); styles allow 'unsafe-inline' because React renders `style` attributes, which no
 * nonce can cover. The socket is same-origin: `connect-src` names ws/wss on this very Host.
 */
export function securityHeaders(host: string, nonce: string, dev = false): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ws://${host} wss://${host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
  };
}

/** The port is taken: said in one line with the address (REL6). */
export class PortInUseError extends Error {
  constructor(host: string | undefined, port: number) {
    super(`port ${port} on ${host ?? 'all interfaces'} is already in use (EADDRINUSE): stop the other server or set PORT`);
    this.name = 'PortInUseError';
  }
}

export interface RunningServer {
  url: string;
  port: number;
  realtime: Realtime;
  /** Resolves once every stored session is served (at once when `awaitRestore` was left on). */
  restored: Promise<void>;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const pages = options.pages;
  // Known once the port is (port 0 in tests): until then nothing is ours.
  let publicAt: PublicOrigins = { hosts: new Set(), origins: new Set() };
  // Set once Socket.IO is attached: the export and import routes read the live sessions.
  let api: ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) | null = null;
  const http = createServer((req, res) => {
    // SEC7: a page asked for under a foreign name (DNS rebinding) is not served.
    if (!allowedHost(req, publicAt)) {
      res.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('This server is not published under that host name (ALLOWED_ORIGINS).');
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    const headers = securityHeaders(req.headers.host ?? '', nonce, options.dev ?? (process.env.NODE_ENV !== 'production' && process.env.NODE_ENV !== 'test'));
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    // Next.js takes the nonce for its scripts from the request's CSP header, as a proxy.ts would set it.
    req.headers['content-security-policy'] = headers['Content-Security-Policy'];
    if (api && req.url?.startsWith('/api/')) {
      api(req, res)
        .then((handled) => {
          if (handled) return;
          res.statusCode = 404;
          res.end('not found');
        })
        .catch((error: unknown) => {
          options.log?.(`api error: ${String(error)}`);
          if (!res.headersSent) res.statusCode = 500;
          res.end();
        });
      return;
    }
    if (!pages) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    Promise.resolve(pages(req, res)).catch((error: unknown) => {
      options.log?.(`page error: ${String(error)}`);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  const io: AppServer = new Server(http, {
    // Large enough for a post, small enough that a malformed frame cannot cost much (SEC2).
    maxHttpBufferSize: 64 * 1024,
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000 },
    // Other upgrades (Next's hot reload) are not Socket.IO's to close.
    destroyUpgrade: false,
    // SEC3, SEC7: refused at the handshake, before any event handler runs.
    allowRequest: (req, callback) => {
      const allowed = allowedOrigin(req, publicAt);
      callback(allowed ? null : 'origin not allowed', allowed);
    },
  });
  const upgrade = options.upgrade;
  if (upgrade) {
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (req.url?.startsWith('/socket.io/')) return;
      if (allowedHost(req, publicAt)) void upgrade(req, socket, head);
      else socket.destroy();
    });
  }
  const realtime = createRealtime(io, {
    store: options.store,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    ...(options.limits ? { limits: options.limits } : {}),
    trustProxy: options.trustProxy ?? false,
    ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
    ...(options.snapshotEvery ? { snapshotEvery: options.snapshotEvery } : {}),
    ...(options.cluster ? { cluster: options.cluster } : {}),
  });
  api = apiHandler({
    store: options.store,
    clock: options.clock ?? Date.now,
    // Cluster mode: the session may be another process's; an export reads only its record and the stored log.
    session: async (code) => {
      const live = realtime.session(code);
      if (live || !options.cluster) return live;
      const record = await options.store.findSessionByCode(code);
      return record ? { record } : undefined;
    },
    restore: () => realtime.restore(),
    sameOrigin: (req) => allowedOrigin(req, publicAt),
    address: (req) => clientAddress(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for'], options.trustProxy ?? false),
  });

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    await realtime.close();
    await io.close();
    if ((error as { code?: unknown }).code === 'EADDRINUSE') throw new PortInUseError(options.host, options.port);
    throw error;
  }
  const port = (http.address() as AddressInfo).port;
  publicAt = publicOrigins(port, options.host, options.allowedOrigins);
  // REL1: the port is open first; a session still loading answers `loading` meanwhile.
  const restored = realtime.restore();
  if (options.awaitRestore ?? true) await restored;
  else restored.catch((error: unknown) => (options.log ?? console.error)(`restore failed: ${String(error)}`));
  const shownHost = !options.host || options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;

  return {
    url: `http://${shownHost}:${port}`,
    port,
    realtime,
    restored: restored.catch(() => {}),
    /**
     * Graceful stop (REL7): no new connections; every command already received is stored and
     * answered; then the sockets close, then the database. A command that arrives meanwhile is
     * stored before the database closes; its sender, disconnected, retries under the same op id.
     */
    async close() {
      const drained = new Promise<void>((resolve) => http.close(() => resolve()));
      await realtime.settle();
      await io.close();
      await realtime.close();
      http.closeAllConnections();
      await drained;
      await options.store.close();
    },
  };
}
