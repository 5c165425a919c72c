/** `npm run db:migrate`: applies pending migrations to the configured database (PGlite or PostgreSQL). */
import { describeStartupError } from '@/lib/startup-errors';
import { openDatabase } from './client';
import { migrate } from './migrations-runner';

async function main() {
  const handle = await openDatabase();
  try {
    const { applied, total } = await migrate(handle);
    console.log(`Database ${handle.mode} (${handle.location}): ${applied} migration(s) applied, ${total} in total.`);
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(describeStartupError(error));
  process.exit(1);
});
