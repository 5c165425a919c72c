import type { Browser, Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures/a11y';

/**
 * An organizer runs an on-sale from the browser: signs in, builds a small hall in the venue builder (two sections,
 * an aisle, a wheelchair space), creates an event with two price tiers, publishes it; a buyer in another browser
 * buys two seats; the organizer's dashboard shows the sale without a reload.
 */
test.describe.configure({ mode: 'serial' });

const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const venueName = `Corn Exchange ${stamp}`;
const eventName = `Admin E2E Night ${stamp}`;
let eventId = '';

async function signInAsAdmin(page: Page) {
  await page.goto('/sign-in?next=/admin/venues');
  await page.getByLabel('Email').fill('admin@admitone.test');
  await page.getByLabel('Password').fill('admitone-admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // A glob such as '**/admin/venues' also matches the sign-in page's own ?next=/admin/venues: wait for the path.
  await page.waitForURL((url) => url.pathname === '/admin/venues');
}

/** The venue builder and the event form: also no skipped heading levels (the shared check). */
const expectNoSeriousAxeViolations = (page: Page) => expectAccessible(page, page.url());

/** "YYYY-MM-DDTHH:MM" for a datetime-local input, `days` from now (UTC wall clock, the zone the test picks). */
const wall = (days: number, time: string) =>
  `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T${time}`;

/** A new buyer in their own browser context pays for `count` best-available seats with the test Visa. */
async function buyAsNewBuyer(browser: Browser, id: string, count: number) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Bea Buyer');
  await page.getByLabel('Email').fill(`buyer-${stamp}-${Math.random().toString(36).slice(2, 7)}@example.test`);
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-up'));

  await page.goto(`/events/${id}`);
  await expect(page.getByRole('heading', { name: eventName, level: 1 })).toBeVisible();
  await page.getByRole('link', { name: 'Choose seats' }).click();
  await page.waitForURL(`**/events/${id}/seats`);
  const form = page.getByRole('form', { name: 'Best available' });
  await form.getByLabel('Seats').selectOption(String(count));
  await form.getByRole('button', { name: 'Find seats' }).click();
  await page.getByRole('button', { name: `Hold ${count} seats` }).click();
  await expect(page.getByRole('heading', { name: `${count} seats held for you` })).toBeVisible();
  await page.getByRole('link', { name: 'Continue to checkout' }).click();
  await page.waitForURL(/\/checkout\/[0-9a-f-]+$/);
  await page.getByRole('radio', { name: /Visa ending 4242/ }).check();
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]+\?placed=1$/);
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  await context.close();
}

test('an organizer builds a venue, creates an event with two tiers and publishes it; a buyer buys two seats', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  await signInAsAdmin(page);
  await expect(page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Venues' })).toHaveAttribute(
    'aria-current',
    'page',
  );

  // The venue builder: two sections of two rows; an aisle and a wheelchair space in the first.
  await page.getByRole('link', { name: 'New venue' }).click();
  await page.waitForURL('**/admin/venues/new');
  await expect(page.getByRole('heading', { name: 'Venue builder' })).toBeVisible();
  await expectNoSeriousAxeViolations(page);

  // An empty section is refused with a clear message before anything is sent.
  await page.getByRole('button', { name: 'Remove Section 1, row 2' }).click();
  await page.getByRole('button', { name: 'Remove Section 1, row 1' }).click();
  await page.getByRole('button', { name: 'Save venue' }).click();
  await expect(page.getByText('a section needs at least one row')).toBeVisible();
  await page.getByRole('button', { name: 'Add row to Section 1' }).click();
  await page.getByRole('button', { name: 'Add row to Section 1' }).click();

  await page.getByLabel('Venue name').fill(venueName);
  await page.getByLabel('City').fill('Leeds');
  await page.getByLabel('Time zone').fill('Europe/London');
  await page.getByLabel('Section 1 Name').fill('Stalls left');
  await page.getByLabel('Section 1, row 1: Seats').fill('8');
  await page.getByLabel('Section 1, row 1: Aisles after').fill('4');
  await page.getByLabel('Section 1, row 1: Wheelchair').fill('1');
  await page.getByLabel('Section 1, row 2: Seats').fill('8');
  await page.getByRole('button', { name: 'Add section' }).click();
  await page.getByLabel('Section 2 Name').fill('Stalls right');

  // Duplicate labels are caught in the form, field by field.
  await page.getByLabel('Section 2 Label').fill('A');
  await expect(page.getByText('section label "A" is used twice (also section 1)')).toBeVisible();
  await page.getByLabel('Section 2 Label').fill('B');
  await expect(page.getByText('section label "A" is used twice')).toHaveCount(0);

  // The live preview is the buyers' seat map, with every seat of both sections.
  const preview = page.getByRole('application', { name: `Preview of ${venueName}` });
  await expect(preview).toBeVisible();
  await expect(page.getByText('36 seats in 2 sections')).toBeVisible();
  await page.getByRole('button', { name: 'Save venue' }).click();
  await page.waitForURL(/\/admin\/venues\?created=/);
  await expect(page.getByRole('status')).toHaveText(`Venue “${venueName}” saved with 36 seats.`);

  // The event: two tiers, one per section; on sale since yesterday.
  await page.goto('/admin/events/new');
  await expect(page.getByRole('heading', { name: 'New event' })).toBeVisible();
  await expectNoSeriousAxeViolations(page);
  await page.getByLabel('Event name').fill(eventName);
  await page.getByLabel('Performer').fill('The Admin Ensemble');
  await page.getByLabel('Venue', { exact: true }).selectOption({ label: `${venueName}, Leeds` });
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/London');
  await page.getByLabel('Time zone').fill('UTC');
  await page.getByLabel('Starts at').fill(wall(30, '19:30'));
  await page.getByLabel('On sale from').fill(wall(-1, '10:00'));
  await page.getByLabel('Tier 1 name').fill('Front');
  await page.getByLabel('Tier 1 price').fill('55');
  await page.getByRole('button', { name: 'Add tier' }).click();
  await page.getByLabel('Tier 2 name').fill('Back');
  await page.getByLabel('Tier 2 price').fill('30');
  await page.getByLabel('Section A tier').selectOption('Front');
  await page.getByLabel('Section B tier').selectOption('Back');
  await page.getByRole('button', { name: 'Create draft' }).click();
  await page.waitForURL(/\/admin\/events\/[0-9a-f-]+\/edit\?created=1$/);
  eventId = new URL(page.url()).pathname.split('/')[3]!;
  await expect(page.getByText('Draft', { exact: true })).toBeVisible();

  // Publish, with a confirmation step.
  await page.getByRole('button', { name: 'Publish event…' }).click();
  await page.getByRole('group', { name: 'Confirm publishing' }).getByRole('button', { name: 'Yes, publish' }).click();
  await expect(page.getByText('Published', { exact: true })).toBeVisible();
  await expect(page.getByText(/venue, currency, price tiers and their sections are locked/)).toBeVisible();
  await expect(page.getByLabel('Venue', { exact: true })).toBeDisabled();

  await buyAsNewBuyer(browser, eventId, 2);

  const sold = await page.request.get(`/api/events/${eventId}/availability`);
  expect(((await sold.json()) as { counts: { sold: number } }).counts.sold).toBe(2);
  await page.goto('/admin/events?status=published');
  await expect(page.getByRole('row', { name: new RegExp(eventName) })).toContainText('2 / 36');

  // Box office: take a seat off sale from the keyboard, then release it.
  await page
    .getByRole('row', { name: new RegExp(eventName) })
    .getByRole('link', { name: /^Seats/ })
    .click();
  await expect(page.getByRole('heading', { name: 'Box-office holds and kills' })).toBeVisible();
  await expect(page.getByText('34 available · 0 blocked · 2 held or sold')).toBeVisible();
  await page.getByRole('application', { name: `Box-office seat map of ${eventName}` }).focus();
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('ArrowRight');
    if (/, available$/.test((await page.getByTestId('focused-seat').textContent()) ?? '')) break;
  }
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Selected: 1' })).toBeVisible();
  await page.getByLabel('Reason').fill('House seat');
  await page.getByRole('button', { name: 'Block 1 from sale' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Blocked 1 seat.' })).toBeVisible();
  await expect(page.getByText('33 available · 1 blocked · 2 held or sold')).toBeVisible();
  const counts = async () =>
    ((await (await page.request.get(`/api/events/${eventId}/availability`)).json()) as { counts: { blocked: number } })
      .counts;
  expect((await counts()).blocked).toBe(1);
  // The map keeps its keyboard position: the same seat, now blocked, is picked again to release it.
  await page.getByRole('application', { name: `Box-office seat map of ${eventName}` }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/row A, seat \d+ \(blocked\)/)).toBeVisible();
  await page.getByRole('button', { name: 'Release 1' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Released 1 seat.' })).toBeVisible();
  expect((await counts()).blocked).toBe(0);
});

test('the event dashboard shows a sale without a reload', async ({ page, browser }) => {
  test.setTimeout(120_000);
  test.skip(!eventId, 'needs the event of the previous test');
  await signInAsAdmin(page);
  const response = await page.goto(`/admin/events/${eventId}`);
  expect(response?.status()).toBe(200);
  const soldCount = page.getByTestId('sold-count');
  await expect(soldCount).toHaveText(/^\s*2\s*$/);
  await buyAsNewBuyer(browser, eventId, 2);
  await expect(soldCount).toHaveText(/^\s*4\s*$/, { timeout: 30_000 });

  // The funnel after this scripted sale (issue 20): two buyers each opened the event page, held, checked out and paid.
  const funnel = page.getByRole('region', { name: 'Sales funnel' });
  await funnel.scrollIntoViewIfNeeded();
  for (const step of ['holds', 'checkouts', 'paid'])
    await expect(page.getByTestId(`funnel-${step}`)).toHaveText('2', { timeout: 30_000 });
  expect(Number(await page.getByTestId('funnel-pageViews').textContent())).toBeGreaterThanOrEqual(2);
  await expect(funnel.getByText('No hold has ended unpaid.')).toBeVisible();
  const csv = await page.request.get(`/api/admin/events/${eventId}/funnel?format=csv`);
  expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
  expect((await csv.text()).trim().split('\r\n').at(-1)).toMatch(/^total,\d+,\d+,\d+,2,2,2,0,0,0$/);
});
