import { expect, test, type Browser, type Page } from '@playwright/test';

/**
 * Issue 18 item 2, as people see it: a buyer joins the waitlist of a sold-out event; the organizer refunds an order;
 * the freed seats are held for the buyer, whose event page shows the offer without a reload, and "Pay now" reaches
 * the checkout.
 */
const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
const password = 'violet kettle marathon 47';

async function signIn(page: Page, email: string, secret: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

async function signUp(browser: Browser, who: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill(who);
  await page.getByLabel('Email').fill(`${who.toLowerCase()}-${stamp}@example.test`);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-up'));
  return page;
}

test('a buyer on a sold-out event joins the waitlist, a refund frees seats, and the offer reaches checkout', async ({
  page: organizer,
  browser,
}) => {
  // The organizer puts a two-seat hall on sale.
  await signIn(organizer, 'admin@admitone.test', 'admitone-admin');
  const origin = new URL(organizer.url()).origin;
  const post = async (path: string, data?: unknown, headers: Record<string, string> = {}) => {
    const res = await organizer.request.post(path, { data, headers: { origin, ...headers } });
    expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBe(true);
    return (await res.json()) as { id: string };
  };
  const venue = await post('/api/admin/venues', {
    name: `Tiny Room ${stamp}`,
    city: 'Testville',
    sections: [{ label: 'S1', name: 'Stalls', origin: { x: 0, y: 0 }, rows: [{ label: 'A', seats: 2 }] }],
  });
  const { id: eventId } = await post('/api/admin/events', {
    name: `Waitlist Night ${stamp}`,
    performer: 'The Testers',
    category: 'concert',
    venueId: venue.id,
    startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    onSaleAt: new Date(Date.now() - 60_000).toISOString(),
    tiers: [{ name: 'Standard', priceMinor: 4500 }],
    assignments: [{ tier: 'Standard', sectionLabel: 'S1' }],
  });
  await post(`/api/admin/events/${eventId}/publish`);

  // A first buyer buys both seats through the API (the seat map and checkout pages have their own tests): sold out.
  const first = (await signUp(browser, 'First')).request;
  const as = async (path: string, data: unknown, headers: Record<string, string> = {}) => {
    const res = await first.post(path, { data, headers: { origin, ...headers } });
    expect(res.ok(), `${path}: ${res.status()} ${await res.text()}`).toBe(true);
    return res.json() as Promise<Record<string, unknown>>;
  };
  await as(`/api/events/${eventId}/queue`, undefined);
  const layout = (await (await first.get(`/api/events/${eventId}/layout`)).json()) as { seats: { id: number[] } };
  const hold = await as(`/api/events/${eventId}/holds`, { seatIds: layout.seats.id });
  const paid = await as(
    '/api/checkout',
    { holdId: hold.id, paymentMethodId: 'pm_card_visa' },
    { 'idempotency-key': crypto.randomUUID() },
  );
  const orderId = paid.orderId as string;

  // A second buyer finds it sold out and joins the waitlist for two.
  const buyer = await signUp(browser, 'Waiting');
  await buyer.goto(`/events/${eventId}`);
  await expect(buyer.getByText('Sold out.')).toBeVisible();
  const waitlist = buyer.getByRole('region', { name: 'Waitlist' });
  await waitlist.getByLabel('Seats').fill('2');
  await waitlist.getByLabel(/Most per seat/).fill('50');
  await waitlist.getByRole('button', { name: 'Join the waitlist' }).click();
  await expect(waitlist.getByText(/You are on the waitlist for 2 seats.*Nobody is ahead of you/)).toBeVisible();
  await buyer.screenshot({ path: 'test-results/waitlist-joined.png' });

  // The organizer refunds the first order: its seats come free and are held for the waiting buyer.
  await post(`/api/admin/orders/${orderId}/refund`, undefined, { 'idempotency-key': crypto.randomUUID() });
  const offer = buyer.getByRole('region', { name: 'Seats are held for you' });
  await expect(offer).toBeVisible({ timeout: 20_000 });
  await expect(offer.getByText(/row A, seat 1/)).toBeVisible();
  await buyer.screenshot({ path: 'test-results/waitlist-offer.png' });

  await offer.getByRole('button', { name: 'Pay now' }).click();
  await buyer.waitForURL(/\/checkout\/[0-9a-f-]+$/);
  await expect(buyer.getByRole('button', { name: /^Pay / })).toBeVisible();
});
