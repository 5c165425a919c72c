import type { Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures/a11y';
import { priceOrder } from '../../lib/pricing/price-order';

/**
 * An organizer adds VAT (added at checkout) to an event on its edit form and makes a discount code on the event's
 * Discount codes tab; a buyer applies the code at checkout and sees tickets, discount, fees, VAT and the total the
 * money math gives (lib/pricing), pays, and finds the same figures on the order.
 */

const minor = (text: string) => Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100);

async function signIn(page: Page, email: string, password: string, next: string) {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === next);
}

test('a discount code at checkout on an event with VAT added: the amounts on checkout and order', async ({
  browser,
}) => {
  const organizer = await (await browser.newContext()).newPage();
  // A US comedy night already on sale, far down the list the other tests buy from.
  const found = (await (await organizer.request.get('/api/events?category=comedy&sort=date&limit=50')).json()) as {
    items: { id: string; onSaleAt: string; currency: string; highDemand: boolean }[];
  };
  const event = found.items
    .filter((e) => e.currency === 'USD' && !e.highDemand && new Date(e.onSaleAt) < new Date())
    .at(-1)!;
  const code = `E2E-${Date.now().toString(36).toUpperCase()}`;

  await signIn(organizer, 'admin@admitone.test', 'admitone-admin', `/admin/events/${event.id}/edit`);
  await organizer.getByLabel('Tax', { exact: true }).selectOption('exclusive');
  await organizer.getByLabel('Rate (%)').fill('20');
  await organizer.getByLabel('Name on receipts').fill('VAT');
  await organizer.getByRole('button', { name: /^Save/ }).click();
  await expect(organizer.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  await organizer.getByRole('navigation', { name: 'Event' }).getByRole('link', { name: 'Discount codes' }).click();
  await organizer.waitForURL(`**/admin/events/${event.id}/codes`);
  const form = organizer.getByRole('form', { name: 'New discount code' });
  await form.getByLabel('Code').fill(code);
  await form.getByLabel('Percent off').fill('10');
  await form.getByLabel('Total uses').fill('5');
  await form.getByRole('button', { name: 'Create code' }).click();
  await expect(organizer.getByRole('row', { name: new RegExp(code) })).toContainText('10% off the order');
  await expect(organizer.getByRole('row', { name: new RegExp(code) })).toContainText('0 of 5');

  // The event's dashboard before the sale (a kept data directory may hold earlier runs' orders).
  const dashboard = `/admin/events/${event.id}`;
  const cell = (id: string) => organizer.getByTestId(`revenue-${id}`);
  await organizer.goto(dashboard);
  const taxBefore = {
    sold: minor((await cell('sold-taxMinor').textContent())!),
    refunded: minor((await cell('refunded-taxMinor').textContent())!),
  };

  const buyer = await (await browser.newContext()).newPage();
  await signIn(buyer, 'buyer@admitone.test', 'admitone-buyer', `/events/${event.id}`);
  await buyer.getByRole('link', { name: 'Choose seats' }).click();
  const best = buyer.getByRole('form', { name: 'Best available' });
  await best.getByLabel('Seats').selectOption('2');
  await best.getByRole('button', { name: 'Find seats' }).click();
  await buyer.getByRole('button', { name: 'Hold 2 seats' }).click();
  await buyer.getByRole('link', { name: 'Continue to checkout' }).click();
  await buyer.waitForURL(/\/checkout\/[0-9a-f-]+$/);

  const summary = buyer.getByRole('region', { name: 'Order summary' });
  await expect(summary.getByText('VAT 20%')).toBeVisible();
  await buyer.getByLabel('Discount code').fill(code.toLowerCase());
  await buyer.getByRole('button', { name: 'Apply' }).click();
  await expect(buyer.getByRole('status').filter({ hasText: `Discount code ${code} applied` })).toBeVisible();

  // What the page shows is what the money math gives for these seats' prices and the event's fee.
  const prices = await summary.locator('ul li span.tabular-nums').allTextContents();
  const fee = minor((await summary.getByText(/^Fees \(/).textContent())!.replace(/^Fees \(|per ticket\)$/g, ''));
  const expected = priceOrder(
    prices.map((p) => ({ priceMinor: minor(p), feeMinor: fee })),
    { mode: 'exclusive', rateBp: 2000, label: 'VAT', taxFees: false },
    { kind: 'percent', value: 1000, scope: 'order' },
  );
  const row = (label: string | RegExp) => summary.locator('dl > div').filter({ hasText: label }).locator('dd');
  expect(minor((await row(`Discount (${code})`).textContent())!)).toBe(expected.discountMinor);
  expect(minor((await row('VAT 20%').textContent())!)).toBe(expected.taxMinor);
  expect(minor((await summary.getByTestId('order-total').textContent())!)).toBe(expected.totalMinor);
  await expectAccessible(buyer, 'checkout with a discount code and VAT');

  const pay = buyer.getByRole('button', { name: /^Pay / });
  expect(minor((await pay.textContent())!)).toBe(expected.totalMinor);
  await pay.click();
  await buyer.waitForURL(/\/orders\/[0-9a-f-]+\?placed=1$/);
  const orderRow = async (name: string) => minor((await buyer.getByRole('row', { name }).locator('td').textContent())!);
  expect(await orderRow(`Discount (${code})`)).toBe(expected.discountMinor);
  expect(await orderRow('VAT 20%')).toBe(expected.taxMinor);
  expect(await orderRow('Total')).toBe(expected.totalMinor);

  // The organizer's revenue: net, the VAT column, gross; the order's VAT is in the tax column, not in the net.
  await organizer.goto(dashboard);
  const revenue = organizer.getByRole('table', { name: 'Revenue: net, tax and gross' });
  await expect(revenue.getByRole('columnheader', { name: 'VAT 20%' })).toBeVisible();
  await expect
    .poll(async () => minor((await cell('sold-taxMinor').textContent())!))
    .toBe(taxBefore.sold + expected.taxMinor);
  const sold = {
    net: minor((await cell('sold-netMinor').textContent())!),
    tax: minor((await cell('sold-taxMinor').textContent())!),
    gross: minor((await cell('sold-grossMinor').textContent())!),
  };
  expect(sold.net + sold.tax).toBe(sold.gross);
  await revenue.scrollIntoViewIfNeeded();
  await organizer.screenshot({ path: 'test-results/dashboard-revenue-tax.png', fullPage: true });
  await organizer.goto(`/admin/events/${event.id}/codes`);
  await expect(organizer.getByRole('row', { name: new RegExp(code) })).toContainText('1 of 5');

  // Refunded: the whole total goes back, and the order says how much of it was the tax.
  await buyer.getByRole('button', { name: 'Cancel order' }).click();
  await buyer.getByRole('button', { name: /^Yes, cancel and refund/ }).click();
  const refund = buyer.getByRole('row', { name: /^Refund:/ });
  await expect(refund).toBeVisible();
  const refunded = (await refund.locator('td').textContent())!;
  expect(minor(refunded.split('incl.')[0]!)).toBe(expected.totalMinor);
  expect(minor(refunded.split('incl.')[1]!)).toBe(expected.taxMinor);

  // The dashboard nets the refund, its tax included.
  await organizer.goto(dashboard);
  await expect
    .poll(async () => minor((await cell('refunded-taxMinor').textContent())!))
    .toBe(taxBefore.refunded + expected.taxMinor);
  await organizer.screenshot({ path: 'test-results/dashboard-revenue-refunded.png', fullPage: true });

  // The refund gave the code's use back.
  await organizer.goto(`/admin/events/${event.id}/codes`);
  await expect(organizer.getByRole('row', { name: new RegExp(code) })).toContainText('0 of 5');
});
