import type { Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures/a11y';

/**
 * The box office at work: the demo box-office account signs in, picks an event at the counter, chooses two seats on
 * the live seat map with the keyboard, holds them, takes cash (the change is shown), prints the tickets (two QR
 * codes), and finds the sale and its takings on the till.
 */

const seatMap = (page: Page) => page.getByRole('application', { name: /^Seat map of/ });

/** Walks the map with the arrow keys and selects the first `count` seats that read as available. */
async function selectSeatsByKeyboard(page: Page, count: number): Promise<string[]> {
  await seatMap(page).focus();
  await page.keyboard.press('ArrowRight');
  const chosen: string[] = [];
  for (let step = 0; step < 80 && chosen.length < count; step++) {
    const focused = (await page.getByTestId('focused-seat').textContent()) ?? '';
    if (/, available$/.test(focused)) {
      await page.keyboard.press('Enter');
      chosen.push(focused.split(',').slice(0, 3).join(','));
    }
    await page.keyboard.press('ArrowRight');
  }
  expect(chosen).toHaveLength(count);
  return chosen;
}

test('box-office staff sell two seats for cash, print them and see the sale on the till', async ({ page }) => {
  await page.goto('/sign-in?next=/counter');
  await page.getByLabel('Email').fill('boxoffice@admitone.test');
  await page.getByLabel('Password').fill('admitone-boxoffice');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/counter');
  await expect(page.getByRole('heading', { name: 'Sell at the counter', level: 1 })).toBeVisible();
  await expectAccessible(page, 'counter: event picker');

  // The last event on sale: the buyers' tests shop the first ones.
  const events = page.locator('main a[href^="/counter/events/"]');
  await events.last().click();
  await page.waitForURL(/\/counter\/events\/[0-9a-f-]+$/);
  await expect(seatMap(page)).toBeVisible();
  const seats = await selectSeatsByKeyboard(page, 2);
  await page.getByRole('button', { name: 'Hold 2 seats' }).click();

  const payment = page.getByRole('form', { name: 'Take payment' });
  await expect(payment).toBeVisible();
  for (const seat of seats) await expect(payment.getByText(seat, { exact: true })).toBeVisible();
  await expectAccessible(page, 'counter: taking payment');
  await payment.getByLabel(/Cash handed over/).fill('1000');
  await expect(payment.getByText(/^Change: /)).toBeVisible();
  // A double click records one sale: the idempotency key is the hold's.
  await payment.getByRole('button', { name: 'Complete sale' }).dblclick();
  const done = page.getByRole('heading', { name: /^Sale AO-[A-Z0-9]{4}-[A-Z0-9]{4} complete$/ });
  await expect(done).toBeVisible();
  const reference = (await done.textContent())!.replace(/^Sale | complete$/g, '');
  await expect(page.getByTestId('change-due')).toHaveText(/\d/);

  await page.getByRole('link', { name: 'Print tickets' }).click();
  await expect(page.getByRole('heading', { name: `Tickets of sale ${reference}` })).toBeVisible();
  await expect(page.getByRole('img', { name: /^QR code of the signed ticket for / })).toHaveCount(2);

  await page.getByRole('navigation', { name: 'Box office' }).getByRole('link', { name: 'Till' }).click();
  await expect(page.getByRole('heading', { name: 'Till', level: 1 })).toBeVisible();
  const sale = page.getByRole('listitem').filter({ hasText: reference });
  await expect(sale).toHaveCount(1);
  await expect(sale).toContainText('2 seats');
  await expect(sale).toContainText('Cash');
  await expect(page.getByRole('row', { name: /^Bo Counter Cash/ })).toContainText(/[1-9]\d* · /);
  // The till is checked by the fixture's own accessibility check at the end.
});
