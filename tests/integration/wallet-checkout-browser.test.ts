import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows } from '@/db/sql';
import type { HoldResponse } from '@/lib/contracts/inventory';
import { createDiscountCode, setDiscountCodeActive } from '@/lib/admin/discount-codes';
import { ensureBuilt, startAppServer, type AppServer } from '../support/app-server';
import { useTestDatabase } from '../support/database';
import { startFakeStripe, WALLET_PAYMENT_METHODS, type FakeStripe } from '../support/fake-stripe';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { freePort } from '../support/redis-process';
import { realDatabaseUrl, realRedisUrl } from '../support/services';
import { sessionCookies } from '../support/sessions';
import { serveStripeJsStub, stripeStubRecord } from '../support/stripe-js-stub';

/**
 * Issue 20, item 3, in a browser: the built app with Stripe keys, paying through the fake Stripe. The checkout page
 * loads Stripe.js (a stand-in, tests/support/stripe-js-stub.ts) and gives Elements the order's total as the page shows
 * it, again after a discount code and after the code was refused; Pay makes the PaymentMethod the wallet sheet would
 * (Apple Pay) and the order is paid through the app's checkout, then says how it was paid.
 */
const SHOTS = process.env.WALLET_SHOTS_DIR;
const PUBLISHABLE_KEY = 'pk_test_fake_admitone_wallets';
const minor = (text: string) => Math.round(Number(text.replace(/[^0-9.]/g, '')) * 100);

describe.skipIf(!realDatabaseUrl)('wallet payments in the browser (Payment Element stand-in, fake Stripe)', () => {
  const { handle, url } = useTestDatabase({ reset: false });
  let fake: FakeStripe;
  let app: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    await ensureBuilt();
    fake = await startFakeStripe();
    const port = await freePort();
    app = await startAppServer(port, {
      DATABASE_URL: url(),
      ...(realRedisUrl ? { REDIS_URL: realRedisUrl } : {}),
      APP_URL: `http://127.0.0.1:${port}`,
      STRIPE_SECRET_KEY: fake.secretKey,
      STRIPE_WEBHOOK_SECRET: fake.webhookSecret,
      STRIPE_PUBLISHABLE_KEY: PUBLISHABLE_KEY,
      STRIPE_API_URL: fake.url,
    });
    fake.webhook = `${app.url}/api/webhooks/stripe`;
    fake.autoDeliver = true;
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
    });
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await fake?.close();
  });

  /** A signed-in buyer's page, admitted to the event's (quiet) waiting room, holding two seats: on the checkout. */
  async function buyerAtCheckout(eventId: string): Promise<{ page: Page; holdId: string; problems: string[] }> {
    const buyer = await createUser(handle().db);
    const [cookie] = await sessionCookies(handle().db, [buyer.id]);
    const context = await browser.newContext({ viewport: { width: 1200, height: 1000 }, locale: 'en-US' });
    const [name, value] = [cookie!.slice(0, cookie!.indexOf('=')), cookie!.slice(cookie!.indexOf('=') + 1)];
    await context.addCookies([{ name, value, url: app.url }]);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await serveStripeJsStub(page, WALLET_PAYMENT_METHODS.applePay);

    const json = { origin: app.url, 'content-type': 'application/json' };
    expect((await page.request.post(`${app.url}/api/events/${eventId}/queue`, { headers: json, data: {} })).ok()).toBe(
      true,
    );
    const seats = await rows<{ id: string }>(
      handle().db,
      sql`select id from event_seats where event_id = ${eventId} order by idx limit 2`,
    );
    const held = await page.request.post(`${app.url}/api/events/${eventId}/holds`, {
      headers: json,
      data: { seatIds: seats.map((s) => Number(s.id)) },
    });
    expect(held.status()).toBe(201);
    const holdId = ((await held.json()) as HoldResponse).id;
    await page.goto(`${app.url}/checkout/${holdId}`);
    return { page, holdId, problems };
  }

  /** The total the page shows, and what the stand-in Stripe.js was last told (the options, then every update). */
  async function amounts(page: Page) {
    const shown = minor((await page.getByTestId('order-total').textContent()) ?? '');
    const record = await stripeStubRecord(page);
    const told = { ...record.elementsOptions.at(-1), ...Object.assign({}, ...record.updates) } as {
      amount?: number;
      currency?: string;
    };
    return { shown, told, record };
  }

  it('gives Elements the order total (after a discount code too), pays with Apple Pay through the app, and the order says so', async () => {
    const { event, admin } = await createOnSaleEvent(handle().db, {
      rows: 1,
      seatsPerRow: 6,
      event: { feePerTicketMinor: 250 },
    });
    const code = await createDiscountCode(
      handle().db,
      event.id,
      { code: 'WALLET10', kind: 'percent', value: 1000, scope: 'order' },
      admin.id,
    );
    const { page, problems } = await buyerAtCheckout(event.id);
    const element = page.frameLocator('iframe[title="Secure payment input frame"]');
    await expect.poll(() => element.getByText('Apple Pay selected.').isVisible(), { timeout: 20_000 }).toBe(true);

    let seen = await amounts(page);
    expect(seen.shown).toBe(2 * 5000 + 2 * 250);
    expect(seen.record.keys).toEqual([PUBLISHABLE_KEY]);
    expect(seen.record.elementsOptions[0]).toMatchObject({
      mode: 'payment',
      amount: seen.shown,
      currency: 'usd',
      paymentMethodCreation: 'manual',
      paymentMethodTypes: ['card'],
    });
    expect(seen.record.elementOptions[0]).toMatchObject({
      type: 'payment',
      wallets: { applePay: 'auto', googlePay: 'auto' },
    });
    const payLabel = async () => [
      await page.getByRole('button', { name: /^Pay / }).textContent(),
      await page.getByTestId('order-total').textContent(),
    ];
    const [pay, total] = await payLabel();
    expect(pay).toBe(`Pay ${total}`);

    // The code makes the order cheaper: the page is priced again and Elements is told the new total.
    await page.getByLabel('Discount code').fill('wallet10');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Discount code WALLET10 applied.').waitFor();
    // (Stripe.js is loaded again once the reloaded page is interactive.)
    await expect.poll(async () => (await amounts(page)).told.amount, { timeout: 20_000 }).toBe(10000 - 1000 + 500);
    seen = await amounts(page);
    expect(seen.shown).toBe(9500);
    const [payDiscounted, totalDiscounted] = await payLabel();
    expect(payDiscounted).toBe(`Pay ${totalDiscounted}`);
    expect(seen.told).toMatchObject({ amount: seen.shown, currency: 'usd' });
    await element.getByText('Apple Pay selected.').waitFor();
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: `${SHOTS}/checkout-payment-element.png`, fullPage: true });
    }

    // Withdrawn before the buyer pays: refused, nothing charged, and the page (and Elements) back at the full price.
    await setDiscountCodeActive(handle().db, event.id, code.id, false, admin.id);
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.getByRole('alert').filter({ hasText: 'Nothing was charged.' }).waitFor();
    await expect.poll(async () => (await amounts(page)).told.amount, { timeout: 20_000 }).toBe(10500);
    seen = await amounts(page);
    expect(seen.shown).toBe(10500);
    expect(seen.record.elementsOptions).toHaveLength(1); // the same Elements, updated: not made again
    expect(seen.record.updates.at(-1)).toEqual({ amount: 10500, currency: 'usd' });
    expect(seen.told.amount).toBe(seen.shown);
    expect(fake.succeededCharges()).toBe(0);

    // Pay again: the wallet's PaymentMethod, the same checkout, the order paid through the fake Stripe.
    await page.getByRole('button', { name: `Pay ${total}` }).click();
    await page.waitForURL(/\/orders\/[0-9a-f-]+\?placed=1$/, { timeout: 30_000 });
    await page.getByText('Payment received. Your tickets are ready.').waitFor();
    expect(await page.getByText(/^Paid with Apple Pay/).textContent()).toMatch(/Apple Pay.*4242/);
    const intents = [...fake.intents.values()];
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({
      amount: 10500,
      currency: 'usd',
      status: 'succeeded',
      payment_method: WALLET_PAYMENT_METHODS.applePay,
    });
    const orderId = new URL(page.url()).pathname.split('/').at(-1)!;
    expect(intents[0]!.metadata.order_id).toBe(orderId);
    const [payment] = await rows<{ wallet: string; card_last4: string; status: string }>(
      handle().db,
      sql`select wallet, card_last4, status from payments where order_id = ${orderId}`,
    );
    expect(payment).toEqual({ wallet: 'apple_pay', card_last4: '4242', status: 'succeeded' });
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/order-paid-with-apple-pay.png`, fullPage: true });
    expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
  });
});
