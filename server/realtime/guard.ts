/**
 * SEC3, SEC5, SEC7: who may reach the server, and how fast. Hosts and origins are checked against
 * the addresses the server is really published at; rates are counted by rate-limiter-flexible's
 * in-memory limiters, per connection and per client address (and per person for writes).
 */
import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

// ---- origins and hosts (SEC7) --------------------------------------------------------------

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

// ---- rates (SEC3, SEC5) --------------------------------------------------------------------

/** At most `points` in any window of `seconds`. */
export interface Rate {
  points: number;
  seconds: number;
}

/** A person's writes as WRITE_RATE_LIMIT says them: bursts of `burst`, `perSecond` on average. */
export interface RateLimit {
  /** Writes a person may make at once. */
  burst: number;
  /** Writes a second they get back. */
  perSecond: number;
}

/** A person's writes, 10 a second with bursts of 30: far above a human, far below a script. */
export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 30, perSecond: 10 };

/** Every limit of SEC5. A classroom behind one NAT shares an address, so address limits are a class's worth. */
export interface Limits {
  /** Writes (posts, edits, likes, choices, `me:switch`) per person and per connection. */
  writes: Rate;
  writesPerAddress: Rate;
  /** Joins and watches (a page re-joins after a reconnect, a reset, a move). */
  joins: Rate;
  joinsPerAddress: Rate;
  /** Wrong join codes, tokens and instructor secrets: a guesser's budget. */
  guesses: Rate;
  guessesPerAddress: Rate;
  /** New sessions. */
  creates: Rate;
  createsPerAddress: Rate;
  /** Different people one connection may be (new names or tokens); its first counts. */
  participantsPerConnection: number;
}

/** The writes limit for a WRITE_RATE_LIMIT: `burst` per `burst / perSecond` seconds. */
export function writeRate({ burst, perSecond }: RateLimit): Rate {
  return { points: burst, seconds: Math.max(1, Math.ceil(burst / perSecond)) };
}

/** The limits for a person's write rate; the others are fixed (see README "Limits"). */
export function defaultLimits(write: RateLimit = DEFAULT_RATE_LIMIT): Limits {
  const writes = writeRate(write);
  return {
    writes,
    writesPerAddress: { points: writes.points * 10, seconds: writes.seconds },
    joins: { points: 20, seconds: 60 },
    joinsPerAddress: { points: 300, seconds: 60 },
    guesses: { points: 10, seconds: 60 },
    guessesPerAddress: { points: 30, seconds: 60 },
    creates: { points: 3, seconds: 60 },
    createsPerAddress: { points: 20, seconds: 600 },
    participantsPerConnection: 3,
  };
}

export type LimitKind = 'write' | 'join' | 'guess' | 'create';

/** Whose budget a request spends: its connection, its client address, and for writes its person. */
export interface Requester {
  connection: string;
  address: string;
  participant?: string;
}

function limiter(kind: string, rate: Rate): RateLimiterMemory {
  return new RateLimiterMemory({ keyPrefix: kind, points: rate.points, duration: rate.seconds });
}

/** One kind's limiters: per connection (and person) and per address. */
interface Pair {
  each: RateLimiterMemory;
  address: RateLimiterMemory;
}

/** The SEC5 limits of one server. `null` limits (WRITE_RATE_LIMIT=off) let everything through. */
export class Guard {
  private readonly pairs: Record<LimitKind, Pair> | null;

  constructor(readonly limits: Limits | null) {
    this.pairs = limits && {
      write: { each: limiter('write', limits.writes), address: limiter('write-addr', limits.writesPerAddress) },
      join: { each: limiter('join', limits.joins), address: limiter('join-addr', limits.joinsPerAddress) },
      guess: { each: limiter('guess', limits.guesses), address: limiter('guess-addr', limits.guessesPerAddress) },
      create: { each: limiter('create', limits.creates), address: limiter('create-addr', limits.createsPerAddress) },
    };
  }

  /** Spends one point of `kind` from each of the requester's budgets; false when any was already spent. */
  async take(kind: LimitKind, who: Requester): Promise<boolean> {
    const pair = this.pairs?.[kind];
    if (!pair) return true;
    const keys = [`c:${who.connection}`, ...(who.participant ? [`p:${who.participant}`] : [])];
    const spent = await Promise.all([...keys.map((key) => consumed(pair.each, key)), consumed(pair.address, who.address)]);
    return spent.every(Boolean);
  }

  /** Whether `kind` is spent for the requester, without spending (a guesser out of guesses may not try even a right code). */
  async exhausted(kind: LimitKind, who: Requester): Promise<boolean> {
    const pair = this.pairs?.[kind];
    if (!pair) return false;
    const [each, address] = await Promise.all([pair.each.get(`c:${who.connection}`), pair.address.get(who.address)]);
    return (each?.remainingPoints ?? 1) <= 0 || (address?.remainingPoints ?? 1) <= 0;
  }

  /** Whether one more different person fits on a connection that has already been `count` people. */
  allowsParticipant(count: number): boolean {
    return this.limits === null || count < this.limits.participantsPerConnection;
  }
}

async function consumed(rl: RateLimiterMemory, key: string): Promise<boolean> {
  try {
    await rl.consume(key);
    return true;
  } catch (error) {
    if (error instanceof RateLimiterRes) return false;
    throw error;
  }
}

/**
 * Log lines that a client can cause, at most `rate.points` per kind per window; the next line
 * after a quiet window says how many were left out. A flood of bad frames cannot fill the disk.
 */
export class LogThrottle {
  private readonly rl: RateLimiterMemory;
  private readonly suppressed = new Map<string, number>();

  constructor(
    private readonly write: (message: string) => void,
    rate: Rate = { points: 10, seconds: 60 },
  ) {
    this.rl = limiter('log', rate);
  }

  /** Logs `message` unless lines of `kind` are over their rate. */
  line(kind: string, message: string): void {
    void consumed(this.rl, kind).then((allowed) => {
      if (!allowed) {
        this.suppressed.set(kind, (this.suppressed.get(kind) ?? 0) + 1);
        return;
      }
      const skipped = this.suppressed.get(kind) ?? 0;
      this.suppressed.delete(kind);
      this.write(skipped > 0 ? `${message} (${skipped} similar lines left out)` : message);
    });
  }
}
