import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { DemoDataNotice } from '@/components/catalog/demo-data-notice';
import { seedInBackground } from '@/db/seed/background';
import { seedEvents } from '@/db/seed/events';
import { createAccount, DEMO_ACCOUNTS } from '@/db/seed/seed';
import { demoSeedStatus, setDemoSeedStatus } from '@/db/seed/status';
import { useTestDatabase } from '../support/database';

/**
 * Issue 16, first run item 2: the server seeds a first start's demo events in the background, and pages say the
 * events are on their way instead of "No upcoming events yet". (The whole seed runs in catalog-search.test.ts.)
 */
describe('demo data seeded in the background', () => {
  const { handle } = useTestDatabase();
  afterEach(() => setDemoSeedStatus(undefined));

  it('counts as loading from the call on, before its first statement, and disappears when the data was there', async () => {
    await createAccount(handle(), DEMO_ACCOUNTS.admin); // a database seeded before: the seed skips it
    const seeding = seedInBackground(handle(), () => {});
    // A page rendered while the seed looks at the database must already say the events are coming.
    expect(demoSeedStatus()).toEqual({ state: 'loading', events: 0, total: seedEvents(new Date()).length });
    const report = await seeding;
    expect(report?.skipped).toBe(true);
    expect(demoSeedStatus()).toBeUndefined();
  });

  it('is said on the page while loading, and nothing is said otherwise', () => {
    const loading = renderToStaticMarkup(DemoDataNotice({ status: { state: 'loading', events: 12, total: 61 } }));
    expect(loading).toContain('Demo events are being added (12 of 61 so far)');
    expect(loading).toContain('role="status"');
    expect(DemoDataNotice({ status: { state: 'done', events: 61, total: 61 } })).toBeNull();
    expect(DemoDataNotice({ status: undefined })).toBeNull();
  });
});
