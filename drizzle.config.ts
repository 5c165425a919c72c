import { defineConfig } from 'drizzle-kit';

// Generation needs no database. `npm run db:migrate` applies the SQL in db/migrations with the app's own client
// (PGlite or PostgreSQL), the same code that runs at start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  strict: true,
  verbose: true,
});
