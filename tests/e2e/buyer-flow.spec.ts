import type { Browser, Page } from '@playwright/test';
import type { SearchResult } from '@/lib/contracts/catalog';
import { expect, expectAccessible, test } from './fixtures/a11y';

/**
 * Issue 16, the buyer's way through: the pre-queue reached from the event page; a shopping window that warns, ends
 * without losing the selection and can be rejoined; a checkout link opened in another browser of the same account,
 * resumed there and paid; Back after paying shows the order.
 */

test.use({ reducedMotion: 'reduce' });

const PASSWORD = 'a long enough passphrase';

async function signUp(page: Page): Promise<string> {
  const email = `flow-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Robin Flow');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-up'));
  return email;
}

/** The `nth` event that is on sale and quiet (no high demand), from the catalogue API: other specs take the first ones. */
async function quietEventOnSale(page: Page, nth: number): Promise<{ id: string; name: string }> {
  const found = (await (await page.request.get('/api/events?limit=50')).json()) as SearchResult;
  const now = Date.now();
  const quiet = found.items.filter(
    (e) => !e.highDemand && Date.parse(e.onSaleAt) < now && Date.parse(e.startsAt) > now + 86_400_000,
  );
  const event = quiet[nth];
  if (!event) throw new Error('not enough events on sale');
  return { id: event.id, name: event.name };
}

/** Best available `count` seats on the seat page (through the waiting room, which admits at once when quiet). */
async function pickBest(page: Page, eventId: string, count: number) {
  await page.goto(`/events/${eventId}/seats`);
  await page.waitForURL(`**/events/${eventId}/seats`);
  const form = page.getByRole('form', { name: 'Best available' });
  await form.getByLabel('Seats').selectOption(String(count));
  await form.getByRole('button', { name: 'Find seats' }).click();
  await expect(page.getByTestId('seat-lines').locator('li')).toHaveCount(count);
}

/** "7:05" → milliseconds. */
const clockMs = (text: string) => {
  const [m, s] = text.split(':').map(Number) as [number, number];
  return (m * 60 + s) * 1000;
};

test('before the on-sale, the event page offers the waiting room and explains the draw; joining shows the pre-queue', async ({
  page,
}) => {
  await signUp(page);
  const found = (await (await page.request.get('/api/events?q=stadium+tour+opener')).json()) as SearchResult;
  const eventId = found.items[0]!.id;
  await page.goto(`/events/${eventId}`);
  await expect(page.getByRole('timer')).toBeVisible();
  await expect(
    page.getByText(/places? in line drawn at random when they open, so there is no need to be first/),
  ).toBeVisible();
  await expectAccessible(page, 'event page before the on-sale');
  await page.getByRole('link', { name: 'Join the waiting room' }).click();
  await page.waitForURL(`**/events/${eventId}/queue`);
  await expect(page.getByRole('heading', { name: /^You.re in\. Places are drawn when sales open\.$/ })).toBeVisible();
  // The countdown and the place render the same on the server and in the browser (no hydration error: the fixture).
  await expect(page.getByText(/Sales open in \d+:\d\d:\d\d/)).toBeVisible();
  await expectAccessible(page, 'pre-queue');
});

test('the shopping window warns before it ends; at the end the selection stays and rejoining the line brings it back', async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  await page.clock.install();
  await signUp(page);
  const event = await quietEventOnSale(page, 2);
  await pickBest(page, event.id, 2);
  const window = page.getByTestId('shopping-window');
  const timer = window.getByRole('timer');
  await expect(timer).toHaveAccessibleName(/^Shopping time left: \d+ minutes?/);
  const seats = (await page.getByTestId('seat-lines').textContent())!;

  // Two minutes before the end: a warning like the hold's.
  await page.clock.fastForward(clockMs((await timer.textContent())!) - 120_000);
  await expect(window).toHaveAttribute('data-warning', 'true');
  await expect(window).toContainText('Your shopping time is nearly over');
  await expect(window).toContainText('Hold your seats before it ends');
  await expectAccessible(page, 'shopping window warning');

  // The end: said plainly, the selection is still there, Hold is off, and the line can be rejoined.
  await page.clock.fastForward(125_000);
  const ended = page.getByRole('alert').filter({ hasText: 'Your shopping time has ended.' });
  await expect(ended).toBeVisible();
  await expect(ended).toBeFocused();
  await expect(page.getByTestId('seat-lines')).toHaveText(seats);
  await expect(page.getByRole('button', { name: 'Hold 2 seats' })).toBeDisabled();
  await expectAccessible(page, 'shopping window ended');
  await ended.getByRole('button', { name: 'Rejoin the line' }).click();
  await page.waitForURL(`**/events/${event.id}/queue`);
  await page.waitForURL(`**/events/${event.id}/seats`);
  await expect(page.getByRole('status').filter({ hasText: 'Your selection is back' })).toBeVisible();
  await expect(page.getByTestId('seat-lines')).toHaveText(seats);

  // The server refuses the hold (here: the admission is gone): the same message, the selection kept.
  await context.clearCookies({ name: `a1q.${event.id}` });
  await page.getByRole('button', { name: 'Hold 2 seats' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Your shopping time has ended.' })).toBeVisible();
  await expect(page.getByTestId('seat-lines')).toHaveText(seats);
});

async function signIn(browser: Browser, email: string): Promise<Page> {
  const page = await (
    await browser.newContext({ baseURL: test.info().project.use.baseURL, reducedMotion: 'reduce' })
  ).newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  return page;
}

test('a checkout link opened in another browser of the same account resumes there; Back after paying shows the order', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const email = await signUp(page);
  const event = await quietEventOnSale(page, 3);
  await pickBest(page, event.id, 2);
  await page.getByRole('button', { name: 'Hold 2 seats' }).click();
  // Focus moves to the hold summary, not the page body.
  const summary = page.getByRole('region', { name: '2 seats held for you' });
  await expect(summary).toBeFocused();
  await expectAccessible(page, 'seats held');
  await summary.getByRole('link', { name: 'Continue to checkout' }).click();
  await page.waitForURL(/\/checkout\/[0-9a-f-]+$/);
  const checkoutUrl = page.url();

  // The same account in another browser: no turn in the waiting room there, so the gate sends it to its held seats.
  const other = await signIn(browser, email);
  await other.goto(checkoutUrl);
  await other.waitForURL('**/orders#held-seats');
  const held = other.getByRole('region', { name: 'Seats held for you' });
  await expect(held.getByRole('heading', { name: `2 seats held for you: ${event.name}` })).toBeVisible();
  await expect(held.getByRole('timer')).toBeVisible();
  await expectAccessible(other, 'held seats on My tickets');
  await held.getByRole('button', { name: 'Resume checkout' }).click();
  await other.waitForURL(checkoutUrl);
  await other.getByRole('radio', { name: /Visa ending 4242/ }).check();
  await expectAccessible(other, 'checkout with a test card selected');
  await other.getByRole('button', { name: /^Pay / }).click();
  await other.waitForURL(/\/orders\/[0-9a-f-]+\?placed=1$/);
  const orderPath = new URL(other.url()).pathname;

  // Back: the order, not a checkout with a countdown and a Pay button.
  await other.goBack();
  await expect(other).toHaveURL((url) => url.pathname === orderPath);
  await expect(other.getByText('Paid', { exact: true })).toBeVisible();
  await expect(other.getByRole('button', { name: /^Pay / })).toHaveCount(0);
  await other.context().close();
});
