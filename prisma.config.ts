import path from 'node:path';
import { defineConfig } from 'prisma/config';

// The CLI downloads a schema-engine binary for every command, which this offline machine cannot
// reach. `prisma generate` needs no engine, so point it at a stub; migrations are made and applied
// without the CLI (prisma/create-migration.ts, server/persistence/migrate.ts).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= '/bin/false';

export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
});
