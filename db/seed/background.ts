import type { DatabaseHandle } from '@/db/client';
import { seedEvents } from './events';
import { seed, type SeedReport } from './seed';
import { setDemoSeedStatus } from './status';

/**
 * The demo catalogue of a first start, added by the running server instead of before it (about half a minute of
 * 251,400 seat rows that nobody should wait for). Pages read the progress (db/seed/status.ts) and say the events are
 * on their way; a database that already has them is left alone and shows no notice.
 */
export async function seedInBackground(
  handle: DatabaseHandle,
  say: (line: string) => void,
): Promise<SeedReport | undefined> {
  // Loading from the first moment: a page rendered before the seed's own first step must not call the site empty.
  // A database seeded before answers "skipped" within milliseconds and the notice is gone.
  setDemoSeedStatus({ state: 'loading', events: 0, total: seedEvents(new Date()).length });
  try {
    const report = await seed(handle, {
      progress: (events, total) => {
        setDemoSeedStatus({ state: 'loading', events, total });
        if (events === 0)
          say(`• Adding the demo events in the background (${total} events); pages say so until they are in.`);
      },
    });
    setDemoSeedStatus(report.skipped ? undefined : { state: 'done', events: report.events, total: report.events });
    return report;
  } catch (error) {
    setDemoSeedStatus({ state: 'failed', events: 0, total: 0 });
    throw error;
  }
}
