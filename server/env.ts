/** The environment, validated once at start-up (create-t3-app's env.js habit). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const POSTGRES_URL = /^postgres(ql)?:\/\//;

/** Where the log lives: the engine DATABASE_URL names. */
export type Database = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /**
   * Chooses the engine: a SQLite file as Prisma writes it, `file:./prisma/splitbrain.db` (relative
   * to the repo; the embedded default), or a PostgreSQL URL, `postgresql://user@host:5432/db`.
   */
  DATABASE_URL: z
    .string()
    .refine(
      (url) => url.startsWith('file:') || (POSTGRES_URL.test(url) && URL.canParse(url)),
      'DATABASE_URL must be a SQLite file URL such as file:./prisma/splitbrain.db, or a PostgreSQL URL such as postgresql://user@localhost:5432/splitbrain',
    )
    .default('file:./prisma/splitbrain.db'),
  /** Origins besides the server's own allowed to open sockets and name it in Host, comma-separated (behind a proxy). */
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .refine(
      (list) => list.split(',').map((o) => o.trim()).filter(Boolean).every((o) => URL.canParse(o)),
      'ALLOWED_ORIGINS is a comma-separated list of origins such as https://lab.example.org',
    ),
  /** Behind a proxy that sets X-Forwarded-For: rate limits count the address it appended (SEC5). */
  TRUST_PROXY: z.enum(['', '0', '1', 'false', 'true']).default(''),
  /** Per-participant writes: `burst/perSecond` (default 30/10), or `off`. */
  WRITE_RATE_LIMIT: z
    .string()
    .regex(/^(off|\d+\/\d+(\.\d+)?)$/, 'WRITE_RATE_LIMIT is "off" or "burst/perSecond", e.g. 30/10')
    .default('30/10'),
  /** Minutes without a stored write after which a session ends by itself (SEC6); 0 = never. */
  SESSION_IDLE_MINUTES: z.coerce.number().min(0, 'SESSION_IDLE_MINUTES is a number of minutes, 0 for never').default(240),
  /** `off` serves Socket.IO without the Next.js pages: the process tests start the real server without a build. */
  SERVE_PAGES: z.enum(['on', 'off']).default('on'),
  /** `1`: this process is one of several sharing a PostgreSQL DATABASE_URL (sessions leased, events forwarded). */
  CLUSTER: z.enum(['', '0', '1']).default(''),
});

export type Env = z.infer<typeof schema> & {
  database: Database;
  allowedOrigins: string[];
  trustProxy: boolean;
  rateLimit: { burst: number; perSecond: number } | null;
  /** SESSION_IDLE_MINUTES in ms; undefined when sessions never expire. */
  idleMs: number | undefined;
};

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Bad environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const url = parsed.data.DATABASE_URL;
  const [burst, perSecond] = parsed.data.WRITE_RATE_LIMIT.split('/').map(Number);
  return {
    ...parsed.data,
    database: POSTGRES_URL.test(url) ? { engine: 'postgres', url } : { engine: 'sqlite', file: path.resolve(ROOT, url.slice('file:'.length)) },
    allowedOrigins: parsed.data.ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    trustProxy: parsed.data.TRUST_PROXY === '1' || parsed.data.TRUST_PROXY === 'true',
    idleMs: parsed.data.SESSION_IDLE_MINUTES > 0 ? parsed.data.SESSION_IDLE_MINUTES * 60_000 : undefined,
    rateLimit: parsed.data.WRITE_RATE_LIMIT === 'off' || burst === undefined || perSecond === undefined ? null : { burst, perSecond },
  };
}
