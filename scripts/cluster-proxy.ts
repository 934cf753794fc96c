/**
 * The one address in front of the cluster's server processes: `http-proxy` (an existing proxy, not a
 * hand-written one) with the routing Socket.IO needs. Long-polling sends several HTTP requests per
 * connection, so a browser sticks to one process by a cookie set on its first response; a WebSocket
 * is one connection and goes round-robin. A process that refuses connections (killed) is skipped for
 * a few seconds, and its clients, reconnecting, land on a survivor.
 */
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import httpProxy from 'http-proxy';

const COOKIE = 'sbl_member';
/** How long a member that refused a connection is left out. */
const DOWN_MS = 3000;

export interface RunningProxy {
  port: number;
  /** The members' base URLs, in order; replaceable while it runs (members start after the proxy's port is known). */
  targets: string[];
  close(): Promise<void>;
}

/** The cookie's member index, when the request carries one. */
function pinned(req: IncomingMessage): number | null {
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=(\\d+)`).exec(req.headers.cookie ?? '');
  return match ? Number(match[1]) : null;
}

export async function startProxy(port: number, host: string, targets: string[] = []): Promise<RunningProxy> {
  const running: RunningProxy = { port: 0, targets, close: () => Promise.resolve() };
  const proxy = httpProxy.createProxyServer({ xfwd: true });
  const downUntil = new Map<number, number>();
  const chosen = new WeakMap<IncomingMessage, { index: number; fresh: boolean }>();
  let turn = 0;

  const up = (index: number) => index < running.targets.length && (downUntil.get(index) ?? 0) <= Date.now();
  const choose = (req: IncomingMessage): number | null => {
    const pin = pinned(req);
    if (pin !== null && up(pin)) {
      chosen.set(req, { index: pin, fresh: false });
      return pin;
    }
    for (let i = 0; i < running.targets.length; i += 1) {
      const index = (turn + i) % running.targets.length;
      if (!up(index)) continue;
      turn = index + 1;
      chosen.set(req, { index, fresh: true });
      return index;
    }
    return null;
  };

  proxy.on('proxyRes', (proxyRes, req) => {
    const choice = chosen.get(req);
    if (!choice?.fresh) return;
    const cookie = `${COOKIE}=${choice.index}; Path=/; HttpOnly; SameSite=Lax`;
    const existing = proxyRes.headers['set-cookie'] ?? [];
    proxyRes.headers['set-cookie'] = [...existing, cookie];
  });
  proxy.on('error', (error, req, res) => {
    const choice = chosen.get(req);
    if (choice && ['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH'].includes((error as { code?: string }).code ?? '')) downUntil.set(choice.index, Date.now() + DOWN_MS);
    if ('writeHead' in res) {
      const response = res;
      if (!response.headersSent) response.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('That server process is not answering; reload to reach another.');
    } else (res as Duplex).destroy();
  });

  const server = http.createServer((req, res) => {
    const index = choose(req);
    if (index === null) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('No server process is up.');
      return;
    }
    proxy.web(req, res, { target: running.targets[index] });
  });
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    const index = choose(req);
    if (index === null) socket.destroy();
    else proxy.ws(req, socket, head, { target: running.targets[index] });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  running.port = (server.address() as AddressInfo).port;
  running.close = async () => {
    server.closeAllConnections();
    for (const socket of upgraded) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    proxy.close();
  };
  return running;
}
