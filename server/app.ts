/**
 * Builds the one HTTP server: Next.js pages (optional, so realtime tests can start without a
 * build) and Socket.IO on the same port. Tests call this with an in-memory or temp-file store.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Server } from 'socket.io';
import type { Store } from './persistence/store.ts';
import { allowedOrigin, type RateLimit } from './realtime/guard.ts';
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
  /** Per-participant write limit (SEC3); null turns it off. Defaults to DEFAULT_RATE_LIMIT. */
  rateLimit?: RateLimit | null;
  /** Origins besides the server's own that may open sockets (a proxy's public address). */
  allowedOrigins?: readonly string[];
}

export interface RunningServer {
  url: string;
  port: number;
  realtime: Realtime;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const pages = options.pages;
  const http = createServer((req, res) => {
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
    // SEC3: refused at the handshake, before any event handler runs.
    allowRequest: (req, callback) => {
      const allowed = allowedOrigin(req, options.allowedOrigins);
      callback(allowed ? null : 'origin not allowed', allowed);
    },
  });
  const upgrade = options.upgrade;
  if (upgrade) {
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!req.url?.startsWith('/socket.io/')) void upgrade(req, socket, head);
    });
  }
  const realtime = createRealtime(io, {
    store: options.store,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
  });
  await realtime.restore();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const shownHost = !options.host || options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;

  return {
    url: `http://${shownHost}:${port}`,
    port,
    realtime,
    async close() {
      realtime.close();
      await io.close();
      await options.store.close();
    },
  };
}
