import { expect, test, type Page } from '@playwright/test';

/**
 * Issue 16, items 8–10 and the organizer's dashboard, as people see them: sign-up says why a weak password is
 * refused; a transfer shows who gets what before it is sent, waits for its recipient and can be cancelled; after
 * the organizer refunds, the buyer's order says the organizer did it; the dashboard names the venue's time zone.
 */
test.describe.configure({ mode: 'serial' });

const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const buyerEmail = `transfer-${stamp}@example.test`;
const friendEmail = `friend-${stamp}@example.test`;
let londonEventId = '';
let orderPath = '';

async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/** An on-sale, ordinary event at the London theatre (the seed's Europe/London venue). */
async function londonEvent(page: Page): Promise<string> {
  const res = await page.request.get('/api/events?city=London&limit=50');
  const { items } = (await res.json()) as { items: { id: string; onSaleAt: string; highDemand: boolean }[] };
  const open = items.find((e) => Date.parse(e.onSaleAt) < Date.now() && !e.highDemand);
  expect(open, 'an on-sale event in London').toBeTruthy();
  return open!.id;
}

test('sign-up refuses a common password and says why and what to do', async ({ page }) => {
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Tess Transfer');
  await page.getByLabel('Email').fill(buyerEmail);
  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(
    page.getByText(
      /This password is too easy to guess: it is one of the most common passwords.*Use three or four unrelated words/,
    ),
  ).toBeVisible();
  await expect(page.getByText(/Too (big|small):/)).toHaveCount(0);
  await page.screenshot({ path: 'test-results/issue16-sign-up-weak-password.png' });

  await page.getByLabel('Password').fill('violet kettle marathon 47');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-up'));

  // Buy one seat to transfer.
  londonEventId = await londonEvent(page);
  await page.goto(`/events/${londonEventId}/seats`);
  const form = page.getByRole('form', { name: 'Best available' });
  await form.getByLabel('Seats').selectOption('1');
  await form.getByRole('button', { name: 'Find seats' }).click();
  await page.getByRole('button', { name: 'Hold 1 seat' }).click();
  await expect(page.getByRole('heading', { name: '1 seat held for you' })).toBeVisible();
  await page.getByRole('link', { name: 'Continue to checkout' }).click();
  await page.waitForURL(/\/checkout\/[0-9a-f-]+$/);
  await page.getByRole('radio', { name: /Visa ending 4242/ }).check();
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]+\?placed=1$/);
  orderPath = new URL(page.url()).pathname;
});

test('a transfer shows the recipient and the ticket before it is sent, waits to be claimed, and can be cancelled', async ({
  page,
}) => {
  await signIn(page, buyerEmail, 'violet kettle marathon 47');
  await page.goto(orderPath);
  await page.getByRole('link', { name: 'Show ticket' }).first().click();
  await page.waitForURL(/\/tickets\/[0-9a-f-]+$/);

  await page.getByRole('button', { name: 'Transfer to a friend' }).click();
  await page.getByLabel('Their email address').fill(friendEmail);
  await page.getByRole('button', { name: 'Review transfer' }).click();
  // Nothing is sent yet: the confirmation names who gets which ticket.
  await expect(page.getByRole('heading', { name: 'Send this ticket?' })).toBeFocused();
  await expect(page.getByText(friendEmail, { exact: true })).toBeVisible();
  await expect(page.getByText(/Stalls, row [A-Z]+, seat \d+|Balcony, row/)).toBeVisible();
  await page.screenshot({ path: 'test-results/issue16-transfer-confirm.png' });
  await page.getByRole('button', { name: `Send to ${friendEmail}` }).click();

  await expect(page.getByText(`On its way to ${friendEmail}`, { exact: false })).toBeVisible();
  await page.screenshot({ path: 'test-results/issue16-transfer-pending.png' });
  await page.getByRole('button', { name: 'Cancel transfer' }).click();
  await expect(page.getByRole('button', { name: 'Transfer to a friend' })).toBeVisible();
});

test('after the organizer refunds, the order says the organizer cancelled it; the dashboard says its time zone', async ({
  page,
}) => {
  await signIn(page, 'admin@admitone.test', 'admitone-admin');
  const orderId = orderPath.split('/').pop()!;
  const refund = await page.request.post(`/api/admin/orders/${orderId}/refund`, {
    headers: { 'idempotency-key': crypto.randomUUID(), origin: new URL(page.url()).origin },
  });
  expect(refund.status()).toBe(200);

  await page.goto(`/admin/events/${londonEventId}`);
  await expect(page.getByTestId('dashboard-time-zone')).toHaveText('Times in Europe/London, the venue’s time zone.');
  // The whole venue fits: the map's box is no taller than the frame that shows it (it was 612 px in a 384 px frame).
  const map = page.getByRole('application', { name: /Seat map of/ }).first();
  await expect(map).toBeVisible();
  const [inner, frame] = [await map.boundingBox(), await map.locator('..').boundingBox()];
  expect(inner!.height).toBeLessThanOrEqual(frame!.height + 1);
  await page.screenshot({ path: 'test-results/issue16-dashboard.png', fullPage: true });

  // The buyer's view of the refunded order.
  await page.context().clearCookies();
  await signIn(page, buyerEmail, 'violet kettle marathon 47');
  await page.goto(orderPath);
  await expect(page.getByText(/The organizer cancelled this order and refunded it/)).toBeVisible();
  await expect(page.getByText('You cancelled this order')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/issue16-order-refunded.png' });
});
