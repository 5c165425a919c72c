import { devices, expect, test, type Page } from '@playwright/test';

/**
 * Issue 16, "done means": the newcomer's path on the embedded defaults `npm start` gives (the app Playwright starts).
 * A buyer on a phone finds an event from the home page, signs in with the demo account the start printed, holds a
 * seat, pays with the test card; the organizer, on a desktop, finds the order on the orders desk and refunds it; the
 * buyer's order then says so. (Cloning and installing are too slow for CI: scripts/fresh-clone-check.sh times them.)
 */

/** The page is as wide as the phone: nothing sticks out sideways (the usual way a layout breaks at 412 px). */
async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${page.url()} is wider than the phone`).toBeLessThanOrEqual(0);
}

/** With NEWCOMER_SHOTS=<dir>, each step's screen is saved there, to look at what the phone shows. */
async function shot(page: Page, name: string) {
  if (process.env.NEWCOMER_SHOTS) await page.screenshot({ path: `${process.env.NEWCOMER_SHOTS}/${name}.png` });
}

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

test('a newcomer buys a ticket on a phone and the organizer refunds it', async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const phone = await browser.newContext({ ...devices['Pixel 7'], baseURL });
  const desktop = await browser.newContext({ ...devices['Desktop Chrome'], baseURL });
  try {
    const buyer = await phone.newPage();

    // Home page on the phone: search from the hero.
    await buyer.goto('/');
    await expect(buyer.getByRole('heading', { level: 1, name: 'Great seats, sold fairly.' })).toBeVisible();
    await expectNoSidewaysScroll(buyer);
    await shot(buyer, 'phone-1-home');
    await buyer.getByRole('searchbox', { name: 'Search events' }).fill('Hamlet');
    await buyer.getByRole('button', { name: 'Search' }).click();
    await buyer.waitForURL(/\/events\?q=Hamlet/);
    await expectNoSidewaysScroll(buyer);
    await shot(buyer, 'phone-2-search');

    // The first performance that is on sale (a few of the demo catalogue's open later).
    const hrefs = await buyer
      .locator('main li a[href^="/events/"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
    expect(hrefs.length).toBeGreaterThan(0);
    let eventPath = '';
    for (const href of hrefs) {
      await buyer.goto(href);
      if ((await buyer.getByRole('link', { name: 'Choose seats' }).count()) > 0) {
        eventPath = href;
        break;
      }
    }
    expect(eventPath, 'a Hamlet performance on sale').not.toBe('');
    await expectNoSidewaysScroll(buyer);
    await shot(buyer, 'phone-3-event');

    // Sign in with the demo buyer account, as the start printed it, and come back to the event.
    await buyer.getByRole('link', { name: 'Sign in' }).click();
    await signIn(buyer, 'buyer@admitone.test', 'admitone-buyer');
    await buyer.goto(eventPath);
    await buyer.getByRole('link', { name: 'Choose seats' }).click();
    await buyer.waitForURL(`**${eventPath}/seats`);
    const best = buyer.getByRole('form', { name: 'Best available' });
    await best.getByLabel('Seats').selectOption('1');
    await best.getByRole('button', { name: 'Find seats' }).click();
    await buyer.getByRole('button', { name: 'Hold 1 seat' }).click();
    await expect(buyer.getByRole('heading', { name: '1 seat held for you' })).toBeVisible();
    await expectNoSidewaysScroll(buyer);
    await shot(buyer, 'phone-4-seats-held');
    await buyer.getByRole('link', { name: 'Continue to checkout' }).click();
    await buyer.waitForURL(/\/checkout\/[0-9a-f-]+$/);
    await expectNoSidewaysScroll(buyer);
    await shot(buyer, 'phone-5-checkout');
    await buyer.getByRole('radio', { name: /Visa ending 4242/ }).check();
    await buyer.getByRole('button', { name: /^Pay / }).click();
    await buyer.waitForURL(/\/orders\/[0-9a-f-]+\?placed=1$/);
    await expect(buyer.getByText('Payment received. Your tickets are ready.')).toBeVisible();
    await expectNoSidewaysScroll(buyer);
    await shot(buyer, 'phone-6-order');
    const reference = (await buyer.locator('main .font-mono').first().textContent())!.trim();
    expect(reference).toMatch(/^AO-/);

    // The organizer, on a desktop: the orders desk finds the order by its reference and refunds it in full.
    const organizer = await desktop.newPage();
    await organizer.goto('/sign-in?next=/admin/orders');
    await signIn(organizer, 'admin@admitone.test', 'admitone-admin');
    await organizer.waitForURL((url) => url.pathname === '/admin/orders');
    await organizer.getByRole('searchbox', { name: 'Reference, email or name' }).fill(reference);
    await organizer.getByRole('button', { name: 'Search' }).click();
    await organizer.getByRole('link', { name: reference }).click();
    await organizer.getByRole('button', { name: 'Refund in full' }).click();
    await organizer.getByRole('button', { name: /^Refund / }).click();
    await expect(organizer.getByText(`Order ${reference} is cancelled and refunded`)).toBeVisible();
    // The page itself catches up: nothing left to refund, and the order reads as cancelled.
    await expect(organizer.getByRole('button', { name: 'Refund in full' })).toBeDisabled();
    await expect(organizer.getByText(/^Cancelled /).first()).toBeVisible();
    await shot(organizer, 'desktop-7-refunded');

    // Back on the phone, the buyer's order shows the refund.
    await buyer.reload();
    await expect(buyer.getByText(/^(Cancelled and refunded|Refunded)$/).first()).toBeVisible();
    await shot(buyer, 'phone-8-order-refunded');
  } finally {
    await phone.close();
    await desktop.close();
  }
});
