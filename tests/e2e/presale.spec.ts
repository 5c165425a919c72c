import type { Page } from '@playwright/test';
import type { SearchResult } from '@/lib/contracts/catalog';
import type { LayoutDocument } from '@/lib/contracts/inventory';
import { expect, test } from './fixtures/a11y';

/**
 * Issue 18, presales: before the general on-sale a buyer follows a presale link, enters the code, joins the
 * presale's own line of the waiting room and holds a seat of a tier nobody without the code can see. The demo data
 * has the presale: code FANCLUB, on an event whose general sale opens a day after the server started. The hidden tier
 * is in no public answer, the seat layout included: only the buyer's own layout, once the code is in, names it.
 */

async function signUp(page: Page) {
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Pat Presale');
  await page.getByLabel('Email').fill(`presale-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`);
  await page.getByLabel('Password').fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-up'));
}

/** The demo's presale event: the one whose general on-sale is about a day away. */
async function presaleEvent(page: Page): Promise<{ id: string; name: string }> {
  const now = Date.now();
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const found = (await (await page.request.get(`/api/events?limit=50${query}`)).json()) as SearchResult;
    const event = found.items.find((e) => {
      const ahead = Date.parse(e.onSaleAt) - now;
      return ahead > 18 * 3_600_000 && ahead < 30 * 3_600_000;
    });
    if (event) return { id: event.id, name: event.name };
    cursor = found.nextCursor;
  } while (cursor);
  throw new Error('the demo presale event is missing');
}

test('a buyer enters a presale code before the on-sale, joins the presale line and holds a hidden-tier seat', async ({
  page,
}) => {
  test.setTimeout(60_000);
  await signUp(page);
  const event = await presaleEvent(page);

  // The seat layout everyone gets (cached publicly), and the "unlocked" one as this buyer before any code: the same.
  const tierNames = async (path: string) => {
    const response = await page.request.get(`/api/events/${event.id}/${path}`);
    expect(response.ok()).toBe(true);
    return ((await response.json()) as LayoutDocument).tiers.map((t) => t.name);
  };
  const publicTiers = await tierNames('layout');
  expect(await tierNames('layout/unlocked')).toEqual(publicTiers);

  // The link fills the code in; nothing is spent until the buyer sends it.
  await page.goto(`/events/${event.id}?code=fanclub`);
  const tickets = page.getByRole('complementary', { name: 'Tickets' });
  const visibleTiers = await tickets.getByRole('listitem').allTextContents();
  await expect(page.getByLabel('Have a presale code?')).toHaveValue('fanclub');
  await page.getByRole('button', { name: 'Unlock' }).click();
  const accepted = page.getByRole('status').filter({ hasText: 'Presale code accepted.' });
  await expect(accepted).toBeVisible();
  await expect(accepted).toContainText('Fan club presale');
  // The hidden tier is named only now, and was not among the tiers shown before.
  const hiddenTier = (await accepted.getByRole('listitem').first().textContent())!.split(',')[0]!.trim();
  expect(visibleTiers.join('\n')).not.toContain(hiddenTier);
  expect(publicTiers).not.toContain(hiddenTier);

  // The presale's line is quiet: the waiting room admits at once and moves on to the seats by itself.
  await accepted.getByRole('link', { name: 'Join the presale line' }).click();
  await page.waitForURL(`**/events/${event.id}/seats`, { timeout: 30_000 });

  // The map now shows the hidden tier (its legend names it with its price); the public layout still does not.
  const legend = page.getByRole('region', { name: 'Legend' });
  await expect(legend.getByRole('listitem').filter({ hasText: hiddenTier })).toBeVisible();
  expect(await tierNames('layout')).not.toContain(hiddenTier);
  expect(await tierNames('layout/unlocked')).toContain(hiddenTier);
  if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/presale-seats-unlocked.png` });

  const form = page.getByRole('form', { name: 'Best available' });
  await form.getByLabel('Seats').selectOption('1');
  const price = form.getByLabel('Price');
  const option = price.locator('option', { hasText: hiddenTier });
  await price.selectOption((await option.getAttribute('value'))!);
  await form.getByRole('button', { name: 'Find seats' }).click();
  await page.getByRole('button', { name: 'Hold 1 seat' }).click();
  await expect(page.getByRole('heading', { name: '1 seat held for you' })).toBeVisible();
});
