/** The environment, validated once at start-up (create-t3-app's env.js habit). */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** SQLite file, as Prisma writes it: `file:./prisma/splitbrain.db` (relative to the repo). */
  DATABASE_URL: z
    .string()
    .regex(/^file:/, 'DATABASE_URL must be a SQLite file URL such as file:./prisma/splitbrain.db')
    .default('file:./prisma/splitbrain.db'),
});

export type Env = z.infer<typeof schema> & { databaseFile: string };

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Bad environment: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const file = parsed.data.DATABASE_URL.slice('file:'.length);
  return { ...parsed.data, databaseFile: path.resolve(ROOT, file) };
}
