/**
 * SEC7: who may reach the server. Hosts and origins are checked against the addresses the server is
 * really published at, and a client's address is read the way the deployment says (TRUST_PROXY).
 * The limits that address is counted against are in guard.ts.
 */
import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';

/** The non-internal IPv4 addresses of this machine: the URLs a classroom on the LAN opens. */
export function lanAddresses(): string[] {
  const found: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const address of list ?? []) if (address.family === 'IPv4' && !address.internal) found.push(address.address);
  }
  return found;
}

/** The `host[:port]` a browser sends in Host for a name and port (IPv6 in brackets, default ports dropped). */
function hostWithPort(name: string, port: number, protocol = 'http:'): string {
  const bracketed = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
  return (protocol === 'http:' && port === 80) || (protocol === 'https:' && port === 443) ? bracketed : `${bracketed}:${port}`;
}

/** Where the server may be reached: every Host it answers to and every Origin that may open a socket. */
export interface PublicOrigins {
  readonly hosts: ReadonlySet<string>;
  readonly origins: ReadonlySet<string>;
}

/**
 * The server's public addresses: its HOST (or, when it listens everywhere, this machine's loopback
 * names, host name and LAN addresses) on its port, plus each of ALLOWED_ORIGINS (a proxy's public
 * URL). A DNS-rebinding page has a foreign name in both Host and Origin, and none of these.
 */
export function publicOrigins(port: number, host: string | undefined, allowed: readonly string[] = [], lan: readonly string[] = lanAddresses()): PublicOrigins {
  const everywhere = !host || host === '0.0.0.0' || host === '::';
  const names = new Set(['localhost', '127.0.0.1', '::1']);
  if (everywhere) {
    for (const address of lan) names.add(address);
    const machine = hostname().toLowerCase();
    names.add(machine);
    names.add(machine.endsWith('.local') ? machine : `${machine}.local`);
  } else names.add(host.toLowerCase());
  const hosts = new Set<string>();
  const origins = new Set<string>();
  for (const name of names) {
    const h = hostWithPort(name, port);
    hosts.add(h);
    origins.add(`http://${h}`);
  }
  for (const entry of allowed) {
    try {
      const url = new URL(entry);
      origins.add(url.origin);
      hosts.add(url.host);
    } catch {
      // env.ts validates ALLOWED_ORIGINS; a bad entry here allows nothing.
    }
  }
  return { hosts, origins };
}

/** A request's Host is one of ours (HTTP/1.1 always sends one; without one, nothing to trust). */
export function allowedHost(req: IncomingMessage, allowed: PublicOrigins): boolean {
  const host = req.headers.host?.toLowerCase();
  return host !== undefined && allowed.hosts.has(host);
}

/**
 * Host is ours, and so is Origin when there is one. Clients that send no Origin are not browsers:
 * a page from another site cannot leave it out, so there is nothing to forge.
 */
export function allowedOrigin(req: IncomingMessage, allowed: PublicOrigins): boolean {
  if (!allowedHost(req, allowed)) return false;
  const origin = req.headers.origin;
  return origin === undefined || allowed.origins.has(origin.toLowerCase());
}

/**
 * Who is asking: the socket's peer address, or, behind a proxy we were told to trust
 * (TRUST_PROXY), the address that proxy appended last to X-Forwarded-For (earlier entries come from
 * the client and can be anything).
 */
export function clientAddress(peer: string, forwardedFor: string | string[] | undefined, trustProxy: boolean): string {
  if (!trustProxy || forwardedFor === undefined) return peer;
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return entries.at(-1) ?? peer;
}
