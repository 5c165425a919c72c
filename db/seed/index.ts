/** `npm run db:seed`: demo accounts, venues and events (only into an empty database). */
import { describeStartupError } from '@/lib/startup-errors';
import { openDatabase } from '../client';
import { migrate } from '../migrations-runner';
import { DEMO_ACCOUNTS, seed } from './seed';

async function main() {
  const handle = await openDatabase();
  try {
    await migrate(handle);
    const report = await seed(handle, { log: console.log });
    if (report.skipped) console.log('The database already has demo data; nothing to do.');
    else
      console.log(
        `Seeded ${report.venues} venues, ${report.events} events, ${report.seats.toLocaleString('en')} event seats in ${(report.ms / 1000).toFixed(1)} s.`,
      );
    console.log(
      `Admin: ${DEMO_ACCOUNTS.admin.email} / ${DEMO_ACCOUNTS.admin.password}   Buyer: ${DEMO_ACCOUNTS.buyer.email} / ${DEMO_ACCOUNTS.buyer.password}   Door: ${DEMO_ACCOUNTS.door.email} / ${DEMO_ACCOUNTS.door.password}   Box office: ${DEMO_ACCOUNTS.boxOffice.email} / ${DEMO_ACCOUNTS.boxOffice.password}`,
    );
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  console.error(describeStartupError(error));
  process.exit(1);
});
