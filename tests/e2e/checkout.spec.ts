import type { Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures/a11y';
import { verifyTicketCode } from '../../lib/tickets/ticket-code';

/**
 * A new person buys tickets the way anyone would: sign up, find an event, take seats on the seat page ("best
 * available"), pay with the simulated gateway's test card, open the order and the ticket. Then a declined card: a
 * clear message, and the hold stays.
 */

/** On the event's seat page: best available for `count` seats, hold them, continue to checkout. */
async function holdOnSeatPage(page: Page, eventId: string, count: number) {
  await page.goto(`/events/${eventId}`);
  await page.getByRole('link', { name: 'Choose seats' }).click();
  await page.waitForURL(`**/events/${eventId}/seats`);
  const form = page.getByRole('form', { name: 'Best available' });
  await form.getByLabel('Seats').selectOption(String(count));
  await form.getByRole('button', { name: 'Find seats' }).click();
  await page.getByRole('button', { name: `Hold ${count} ${count === 1 ? 'seat' : 'seats'}` }).click();
  await expect(
    page.getByRole('heading', { name: `${count} ${count === 1 ? 'seat' : 'seats'} held for you` }),
  ).toBeVisible();
  await page.getByRole('link', { name: 'Continue to checkout' }).click();
  await page.waitForURL(/\/checkout\/[0-9a-f-]+$/);
  return new URL(page.url()).pathname.split('/').pop()!;
}

async function signUp(page: Page) {
  const email = `fan-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.test`;
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Frankie Fan');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long enough password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-up'));
  return email;
}

/** Opens events from the list until the `nth` one (0-based) that is on sale and not in high demand; returns its id. */
async function findEventOnSale(page: Page, nth = 0): Promise<string> {
  await page.goto('/events');
  await page.locator('main a[href^="/events/"]').first().waitFor();
  const links = await page
    .locator('main a[href^="/events/"]')
    .evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute('href')!))]);
  let seen = 0;
  for (const href of links) {
    if (!/^\/events\/[0-9a-f-]{36}$/.test(href)) continue;
    await page.goto(href);
    if (
      (await page.getByRole('link', { name: 'Choose seats' }).count()) > 0 &&
      (await page.getByText('High demand').count()) === 0 &&
      seen++ === nth
    )
      return href.split('/').pop()!;
  }
  throw new Error('no event on sale');
}

test('a new buyer pays with pm_card_visa, sees the order and a ticket QR; a declined card keeps the hold', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signUp(page);
  const eventId = await findEventOnSale(page);

  await holdOnSeatPage(page, eventId, 2);
  await expect(page.getByRole('heading', { name: 'Checkout', level: 1 })).toBeVisible();
  await expect(page.getByText('Test mode: no real money is charged.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Order summary' })).toBeVisible();
  await expect(page.getByRole('timer')).toHaveText(/^\d+:\d\d$/);
  const total = (await page.getByRole('button', { name: /^Pay / }).textContent())!;

  await page.getByRole('radio', { name: /Visa ending 4242/ }).check();
  await expectAccessible(page, 'checkout, a test card selected');
  await page.getByRole('button', { name: /^Pay / }).dblclick();
  await page.waitForURL(/\/orders\/[0-9a-f-]+\?placed=1$/);
  await expect(page.getByText('Payment received. Your tickets are ready.')).toBeVisible();
  await expect(page.getByText('Paid', { exact: true })).toBeVisible();
  await expect(page.getByRole('row', { name: /Total/ })).toContainText(total.replace('Pay ', ''));
  const orderId = new URL(page.url()).pathname.split('/').pop()!;

  // The order list shows it; a double click made one order only.
  await page.getByRole('link', { name: 'My tickets' }).first().click();
  await expect(page.getByRole('heading', { name: 'My tickets', level: 1 })).toBeVisible();
  await expect(page.locator(`a[href="/orders/${orderId}"]`)).toHaveCount(1);
  const orders = (await (await page.request.get('/api/orders')).json()) as { orders: { id: string }[] };
  expect(orders.orders.map((o) => o.id)).toEqual([orderId]);

  // The ticket, with its QR codes; the live one verifies with the event's public key alone.
  await page.goto(`/orders/${orderId}`);
  await page.getByRole('link', { name: 'Show ticket' }).first().click();
  await expect(page.getByRole('img', { name: /Live QR code for seat/ })).toBeVisible();
  await expect(page.getByText(/Live code, new in \d+ s/)).toBeVisible();
  await page.getByText('Printed-ticket code').click();
  await expect(page.getByRole('img', { name: /QR code of the signed ticket/ })).toBeVisible();
  const ticketId = new URL(page.url()).pathname.split('/').pop()!;
  const ticket = (await (await page.request.get(`/api/tickets/${ticketId}`)).json()) as {
    code: string;
    publicKey: string;
  };
  const live = (await page.locator('figure[data-code]').getAttribute('data-code'))!;
  expect(await verifyTicketCode(live, { publicKey: ticket.publicKey, eventId })).toMatchObject({
    ok: true,
    kind: 'rotating',
    ticketId,
  });
  expect(await verifyTicketCode(ticket.code, { publicKey: ticket.publicKey, eventId })).toMatchObject({
    ok: true,
    kind: 'static',
    ticketId,
  });
  await expect(page.getByText('Saved on this device')).toBeVisible();

  // At the venue, without a signal: the saved page opens and the live code keeps rotating.
  const ticketUrl = page.url();
  const eventName = (await page.getByRole('heading', { level: 1 }).textContent())!.trim();
  await page.context().setOffline(true);
  await page.goto('about:blank');
  const offline = await page.goto(ticketUrl);
  expect(offline!.fromServiceWorker()).toBe(true);
  await expect(page.getByRole('img', { name: /Live QR code for seat/ })).toBeVisible();
  await expect(page.getByText(/Live code, new in \d+ s/)).toBeVisible();
  // Where the app added to the home screen opens (app/manifest.ts's start_url): the ticket list, saved too.
  const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
  const list = await page.goto('/tickets');
  expect(list!.fromServiceWorker()).toBe(true);
  await page.getByRole('link', { name: eventName }).first().click();
  await expect(page.getByRole('img', { name: /Live QR code for seat/ })).toBeVisible();
  await page.context().setOffline(false);
  const manifest = (await (await page.request.get(manifestHref!)).json()) as { start_url: string; display: string };
  expect(manifest).toMatchObject({ start_url: '/tickets', display: 'standalone' });

  // A declined card (at another event: paying ended the shopping window at the first): a clear message, the seats
  // stay held, and the countdown goes on.
  const secondId = await holdOnSeatPage(page, await findEventOnSale(page, 1), 1);
  await page.getByRole('radio', { name: /Visa ending 0002/ }).check();
  await page.getByRole('button', { name: /^Pay / }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Payment declined' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Your card was declined. Try another card.');
  await expect(alert).toContainText('Your seats are still held for you.');
  await expectAccessible(page, 'checkout, card declined');
  await expect(page.getByRole('timer')).toBeVisible();
  const held = (await (await page.request.get(`/api/holds/${secondId}`)).json()) as {
    status: string;
    extended: boolean;
  };
  expect(held).toMatchObject({ status: 'active', extended: true });

  // Insufficient funds says so; then a good card goes through on the same hold.
  await page.getByRole('radio', { name: /Visa ending 9995/ }).check();
  await page.getByRole('button', { name: /^Pay / }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'insufficient funds' })).toBeVisible();
  await page.getByRole('radio', { name: /Visa ending 4242/ }).check();
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]+\?placed=1$/);
});

test('another account gets a 404 for someone else’s order and ticket pages', async ({ page, browser }) => {
  await signUp(page);
  const eventId = await findEventOnSale(page);
  const holdId = await holdOnSeatPage(page, eventId, 1);
  await page.getByRole('button', { name: /^Pay / }).click();
  await page.waitForURL(/\/orders\//);
  const orderPath = new URL(page.url()).pathname;

  const other = await browser.newPage();
  await signUp(other);
  // Through the waiting room to the same event's seats, so the gate lets this account reach checkout pages at all.
  await other.goto(`/events/${eventId}/seats`);
  await other.waitForURL(`**/events/${eventId}/seats`);
  const response = await other.goto(orderPath);
  expect(response!.status()).toBe(404);
  expect((await other.goto(`/checkout/${holdId}`))!.status()).toBe(404);
  await other.close();
});
