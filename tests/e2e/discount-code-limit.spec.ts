import type { APIRequestContext } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures/a11y';
import {
  holdSeats,
  postOk,
  putOnSale,
  retryPause,
  signUpBuyer,
  type Buyer,
  signInOrganizer,
} from './fixtures/accounts';

/**
 * Issue 18 item 3: a discount code at its limit under parallel use. Twenty buyers hold a seat each and pay at the same
 * moment with a code the organizer allowed five uses of: exactly five orders carry the discount, the other fifteen are
 * refused with 422 DISCOUNT_CODE_INVALID (reason `exhausted`) and charged nothing (docs/pricing.md), and the
 * organizer's Discount codes tab says 5 of 5. A buyer who applied the code on the checkout page before it ran out
 * presses Pay after it did, reads why, and pays the full price.
 */
const BUYERS = 20;
const PRICE = 4000;

type Problem = { code: string; reason?: string; detail: string };

/**
 * One payment as a client of the API pays: one idempotency key for the attempt, sent again when the server sheds load
 * (503 + Retry-After, nothing charged) or the same key is still being worked on.
 */
async function pay(request: APIRequestContext, origin: string, holdId: string, discountCode: string) {
  const key = crypto.randomUUID();
  for (let tries = 0; ; tries++) {
    const res = await request.post('/api/checkout', {
      data: { holdId, paymentMethodId: 'pm_card_visa', discountCode },
      headers: { origin, 'idempotency-key': key },
    });
    const body = (await res.json()) as Record<string, unknown>;
    const busy = res.status() === 503 || (res.status() === 409 && body.code === 'IDEMPOTENCY_KEY_IN_PROGRESS');
    if (!busy || tries >= 30) return { status: res.status(), body };
    await retryPause(res.headers()['retry-after']);
  }
}

test('twenty buyers pay at once with a code limited to five uses: five get it, the rest are told it ran out', async ({
  page: organizer,
  browser,
}) => {
  // Twenty-one sign-ups hash twenty-one passwords: a few seconds on a quiet 2-core machine, far more beside a build.
  test.setTimeout(120_000);
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
  const origin = await signInOrganizer(organizer);

  const { eventId, seatIds } = await putOnSale(organizer.request, origin, {
    name: `Code Rush ${stamp}`,
    rows: 3,
    seats: 8,
    priceMinor: PRICE,
  });
  const code = `FIVE-${stamp.toUpperCase()}`;
  await postOk(organizer.request, origin, `/api/admin/events/${eventId}/discount-codes`, {
    code,
    kind: 'percent',
    value: 2500,
    scope: 'order',
    maxUses: 5,
  });

  // Twenty-one buyers, each with a seat held: twenty who pay through the API, and one on the checkout page.
  const buyers: Buyer[] = await Promise.all(
    Array.from({ length: BUYERS + 1 }, (_, i) => signUpBuyer(browser, origin, `Rush Buyer ${i + 1}`, stamp)),
  );
  const holds = await Promise.all(buyers.map((b, i) => holdSeats(b, origin, eventId, [seatIds[i]!])));
  const late = buyers.at(-1)!;
  const lateHold = holds.at(-1)!;

  // The last buyer applies the code on the checkout page while it still has uses left: the page takes it.
  const checkout = await late.context.newPage();
  await checkout.goto(`/checkout/${lateHold}`);
  await checkout.getByLabel('Discount code').fill(code.toLowerCase());
  await checkout.getByRole('button', { name: 'Apply' }).click();
  await expect(checkout.getByRole('status').filter({ hasText: `Discount code ${code} applied` })).toBeVisible();
  await expect(checkout.getByRole('button', { name: /^Pay / })).toHaveText(/^Pay \$30(\.00)?$/);

  // The twenty pay at the same moment, each with the code.
  const results = await Promise.all(buyers.slice(0, BUYERS).map((b, i) => pay(b.request, origin, holds[i]!, code)));
  const paid = results.filter((r) => r.status === 201);
  const refused = results.filter((r) => r.status !== 201);
  expect(paid, JSON.stringify(results.map((r) => [r.status, r.body.code ?? r.body.outcome]))).toHaveLength(5);
  for (const r of refused) {
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: 'DISCOUNT_CODE_INVALID', reason: 'exhausted' } satisfies Partial<Problem>);
  }
  // The five orders carry the code and its quarter off; nothing was charged to the others (they have no order).
  for (const r of paid) {
    expect(r.body.outcome).toBe('paid');
    const owner = buyers[results.indexOf(r)]!;
    const order = (await (await owner.request.get(`/api/orders/${String(r.body.orderId)}`)).json()) as {
      discountCode: string | null;
      discountMinor: number;
      subtotalMinor: number;
    };
    expect(order).toMatchObject({ discountCode: code, discountMinor: PRICE / 4, subtotalMinor: PRICE });
  }
  const refusedBuyer = buyers[results.findIndex((r) => r.status === 422)]!;
  const orders = (await (await refusedBuyer.request.get('/api/orders')).json()) as { orders: unknown[] };
  expect(orders.orders).toEqual([]);

  // The buyer on the checkout page presses Pay now: the page says the code ran out and that nothing was charged.
  const payButton = checkout.getByRole('button', { name: /^Pay / });
  await payButton.click();
  const alert = checkout.getByRole('alert').filter({ hasText: 'The discount code could not be used' });
  await expect(alert).toContainText(
    'This discount code has been used as many times as the organizer allows. Nothing was charged.',
  );
  await expect(alert).toContainText('Your seats are still held for you.');
  // The page prices the seat again without the code, and says so beside the code.
  await expect(checkout.locator('#discount-code-problem')).toHaveText(
    'This discount code has been used as many times as the organizer allows.',
  );
  await expect(payButton).toHaveText(/^Pay \$40(\.00)?$/);
  await checkout.screenshot({ path: 'test-results/discount-code-ran-out.png' });
  await expectAccessible(checkout, 'checkout after the discount code ran out');

  // At full price the payment goes through, without the code.
  await payButton.click();
  await checkout.waitForURL(/\/orders\/[0-9a-f-]+\?placed=1$/);
  await expect(checkout.getByRole('row', { name: /^Discount/ })).toHaveCount(0);

  // The organizer's tab: five of five uses, five paid orders.
  await organizer.goto(`/admin/events/${eventId}/codes`);
  const row = organizer.getByRole('row', { name: new RegExp(code) });
  await expect(row.getByRole('cell').nth(1)).toHaveText('5 of 5');
  await expect(row.getByRole('cell').nth(4)).toHaveText('5');
});
