/**
 * SEC3, SEC5: how fast anyone may act. Rates are counted by rate-limiter-flexible's in-memory
 * limiters, per connection and per client address (and per person for writes); the same limiters
 * cap the log lines a client can cause. Who may connect at all (Origin, Host) is in origins.ts.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

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
