/** SEC3: who may open a socket, and how fast one person may write. */
import type { IncomingMessage } from 'node:http';

/**
 * A page from another site may not open a socket here (a student's browser would send their
 * cookies and storage along). Clients that send no Origin are not browsers: nothing to forge.
 */
export function allowedOrigin(req: IncomingMessage, extra: readonly string[] = []): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (extra.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export interface RateLimit {
  /** Writes a person may make at once. */
  burst: number;
  /** Writes a second they get back. */
  perSecond: number;
}

/** A person's writes, 10 a second with bursts of 30: far above a human, far below a script. */
export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 30, perSecond: 10 };

/** A token bucket per key (a participant), refilled by the clock. */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => number,
  ) {}

  /** Takes one token for `key`; false when the bucket is empty. */
  take(key: string): boolean {
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return allowed;
  }
}
