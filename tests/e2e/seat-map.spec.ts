import type { Browser, Page } from '@playwright/test';
import { expect, expectAccessible, test } from './fixtures/api-contract';
import type { LayoutDocument } from '@/lib/contracts/inventory';

/**
 * The buyer's seat page as people use it: a new account, the event page's "Choose seats" (which passes through
 * the waiting room once it exists; it admits at once when the event is quiet), then the map with the mouse, the
 * keyboard or the list. Seats are chosen per test in different rows or events so tests never compete, and every
 * test gives its holds back.
 */

test.use({ reducedMotion: 'reduce' });

let accounts = 0;
async function signUp(page: Page) {
  const email = `seats-${Date.now()}-${++accounts}-${Math.random().toString(36).slice(2, 8)}@example.test`;
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Sam Seater');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('a long enough passphrase');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-up'));
  return email;
}

/** Finds an event by name through search, opens it and follows "Choose seats"; returns the event id. */
async function openSeats(page: Page, name: string): Promise<string> {
  await page.goto(`/events?q=${encodeURIComponent(name)}`);
  await page.getByRole('link', { name, exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const id = new URL(page.url()).pathname.split('/')[2]!;
  await page.getByRole('link', { name: 'Choose seats' }).click();
  await page.waitForURL(`**/events/${id}/seats`);
  await expect(seatMap(page)).toHaveAttribute('data-view', /,/);
  return id;
}

const seatMap = (page: Page) => page.getByRole('application', { name: /^Seat map of/ });
const selection = (page: Page) => page.getByRole('complementary', { name: 'Your seats' });
/** A seat in the "Your selection" or "held for you" list. */
const line = (page: Page, text: string | RegExp) =>
  selection(page).getByTestId('seat-lines').getByText(text, { exact: true });

async function layoutOf(page: Page, eventId: string): Promise<LayoutDocument> {
  const response = await page.request.get(`/api/events/${eventId}/layout`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as LayoutDocument;
}

function positionOf(layout: LayoutDocument, section: string, row: string, seat: string): number {
  const p = layout.seats.id.findIndex((_, i) => {
    const r = layout.rows[layout.seats.row[i]!]!;
    return layout.sections[r.section]!.label === section && r.label === row && layout.seats.label[i] === seat;
  });
  if (p < 0) throw new Error(`no seat ${section} ${row} ${seat}`);
  return p;
}

/** Clicks a seat where the map draws it (the map publishes its transform as data-view="scale,tx,ty"). */
async function clickSeat(page: Page, layout: LayoutDocument, section: string, row: string, seat: string) {
  const p = positionOf(layout, section, row, seat);
  const map = seatMap(page);
  // A zoom animates: read the view once it has settled, or the click lands where the seat was a frame ago.
  let view = await map.getAttribute('data-view');
  for (let settled = false; !settled;) {
    await page.waitForTimeout(150);
    const next = await map.getAttribute('data-view');
    settled = next === view;
    view = next;
  }
  const [scale, tx, ty] = view!.split(',').map(Number) as [number, number, number];
  const box = (await map.boundingBox())!;
  await page.mouse.click(box.x + layout.seats.x[p]! * scale + tx, box.y + layout.seats.y[p]! * scale + ty);
}

async function statusOf(
  page: Page,
  eventId: string,
  layout: LayoutDocument,
  section: string,
  row: string,
  seat: string,
) {
  const response = await page.request.get(`/api/events/${eventId}/availability`);
  const snapshot = (await response.json()) as { statuses: string };
  return snapshot.statuses[positionOf(layout, section, row, seat)];
}

/**
 * The first of `rows` (in order) where these seats, and those of the row behind it when asked, are all free, so
 * a test does not trip over seats a failed earlier attempt still holds.
 */
async function freeRow(
  page: Page,
  eventId: string,
  layout: LayoutDocument,
  section: string,
  seats: string[],
  options: { rowBehind?: boolean } = {},
) {
  const response = await page.request.get(`/api/events/${eventId}/availability`);
  const { statuses } = (await response.json()) as { statuses: string };
  const rows = layout.rows.filter((r) => layout.sections[r.section]!.label === section).map((r) => r.label);
  const free = (row: string | undefined) =>
    row !== undefined && seats.every((seat) => statuses[positionOf(layout, section, row, seat)] === '0');
  const found = rows.findIndex((row, i) => i >= 3 && free(row) && (!options.rowBehind || free(rows[i + 1])));
  if (found < 0) throw new Error(`no free row in ${section}`);
  return { row: rows[found]!, behind: rows[found + 1]! };
}

/** The hold id from the checkout link, to give seats back when a test ends early. */
async function releaseHeld(page: Page) {
  const link = page.getByRole('link', { name: 'Continue to checkout' });
  if (!(await link.count())) return;
  const holdId = (await link.getAttribute('href'))!.split('/').pop();
  await page.request.delete(`/api/holds/${holdId}`);
}

async function newBuyer(browser: Browser) {
  const context = await browser.newContext({ reducedMotion: 'reduce' });
  const page = await context.newPage();
  await signUp(page);
  return { context, page };
}

type Buyer = Awaited<ReturnType<typeof newBuyer>>;

/** Two buyers, each signed up in a browser of their own, on the seat page of Cabaret; both browsers closed after. */
async function twoBuyersAtCabaret(
  browser: Browser,
  run: (a: Buyer, b: Buyer, eventId: string, layout: LayoutDocument) => Promise<void>,
) {
  const a = await newBuyer(browser);
  const b = await newBuyer(browser);
  try {
    const eventId = await openSeats(a.page, 'Cabaret');
    expect(await openSeats(b.page, 'Cabaret')).toBe(eventId);
    await run(a, b, eventId, await layoutOf(a.page, eventId));
  } finally {
    await a.context.close();
    await b.context.close();
  }
}

test('a new buyer picks two seats with the mouse and two with the keyboard, holds them, sees the countdown run and releases them', async ({
  page,
}) => {
  await signUp(page);
  const eventId = await openSeats(page, 'Hamlet');
  const layout = await layoutOf(page, eventId);

  const { row, behind } = await freeRow(page, eventId, layout, 'Stalls', ['8', '9', '10', '11', '12'], {
    rowBehind: true,
  });

  // Mouse: zoom in one step so seats are large enough to hit, then click two.
  await page.getByRole('button', { name: 'Zoom in' }).click();
  await clickSeat(page, layout, 'Stalls', row, '9');
  await clickSeat(page, layout, 'Stalls', row, '10');
  await expect(line(page, `Stalls, row ${row}, seat 9`)).toBeVisible();
  await expect(line(page, `Stalls, row ${row}, seat 10`)).toBeVisible();

  // Keyboard only: tab into the map, walk one row back, select, step right, select.
  await page.getByRole('button', { name: 'List of seats' }).focus();
  await page.keyboard.press('Tab');
  await expect(seatMap(page)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('focused-seat')).toHaveText(
    new RegExp(`^Stalls, row ${behind}, seat (9|10|11), [^,]+, available$`),
  );
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press(' ');
  await expect(
    page.getByText(new RegExp(`^Selected Stalls, row ${behind}, seat \\d+, .+\\. 4 seats selected\\.$`)),
  ).toBeAttached();
  await expect(line(page, new RegExp(`^Stalls, row ${behind}, seat \\d+$`))).toHaveCount(2);

  await page.getByRole('button', { name: 'Hold 4 seats' }).click();
  await expect(page.getByRole('heading', { name: '4 seats held for you' })).toBeVisible();
  const timer = page.getByRole('timer');
  await expect(timer).toHaveText(/^[78]:\d\d$/);
  const first = await timer.textContent();
  await expect(timer).not.toHaveText(first!, { timeout: 5_000 });
  // Everyone reads the seat as held (the document is the same for all); the buyer's page marks it as theirs.
  await expect.poll(() => statusOf(page, eventId, layout, 'Stalls', row, '9')).toBe('1');
  await expect(page.getByRole('link', { name: 'Continue to checkout' })).toHaveAttribute(
    'href',
    /^\/checkout\/[0-9a-f-]{36}$/,
  );
  // The same account on another page (another tab, another browser) finds its hold there, ready to resume.
  const elsewhere = await page.context().newPage();
  await elsewhere.goto(`/events/${eventId}/seats`);
  await expect(elsewhere.getByRole('heading', { name: '4 seats held for you' })).toBeVisible();
  const checkoutHref = await page.getByRole('link', { name: 'Continue to checkout' }).getAttribute('href');
  await expect(elsewhere.getByRole('link', { name: 'Continue to checkout' })).toHaveAttribute('href', checkoutHref!);
  // Going on to checkout keeps the hold (leaving the seat page any other way gives it back).
  await elsewhere.getByRole('link', { name: 'Continue to checkout' }).click();
  await elsewhere.waitForURL(`**${checkoutHref}`);
  await elsewhere.close();

  await page.getByRole('button', { name: 'Release seats' }).click();
  await expect(selection(page).getByRole('status').filter({ hasText: 'Your seats were released.' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Your selection' })).toBeVisible();
  for (const [r, seat] of [
    [row, '9'],
    [row, '10'],
    [behind, '10'],
  ] as const)
    await expect.poll(() => statusOf(page, eventId, layout, 'Stalls', r, seat)).toBe('0');
});

test('two buyers race for one seat: exactly one holds it, the other is told which seat and why and sees it taken without reloading', async ({
  browser,
}) => {
  await twoBuyersAtCabaret(browser, async (a, b, eventId, layout) => {
    const { row } = await freeRow(a.page, eventId, layout, 'Stalls', ['11']);
    const seat = `Stalls, row ${row}, seat 11`;
    for (const { page } of [a, b]) {
      await page.getByRole('button', { name: 'Zoom in' }).click();
      await clickSeat(page, layout, 'Stalls', row, '11');
      await expect(line(page, seat)).toBeVisible();
    }

    // A press that lands after the other buyer's hold reached this page finds the seat gone from the selection (the
    // live feed took it out): that buyer lost too, told by the feed instead of by the hold's answer.
    await Promise.all([
      a.page
        .getByRole('button', { name: 'Hold 1 seat' })
        .click({ timeout: 5_000 })
        .catch(() => undefined),
      b.page
        .getByRole('button', { name: 'Hold 1 seat' })
        .click({ timeout: 5_000 })
        .catch(() => undefined),
    ]);
    const won = async (page: Page) => {
      await expect(
        page.getByRole('heading', { name: '1 seat held for you' }).or(selection(page).getByRole('alert')),
      ).toBeVisible();
      return page.getByRole('heading', { name: '1 seat held for you' }).isVisible();
    };
    const [aWon, bWon] = await Promise.all([won(a.page), won(b.page)]);
    expect([aWon, bWon].filter(Boolean)).toHaveLength(1);
    const loser = aWon ? b.page : a.page;
    const winner = aWon ? a.page : b.page;

    const url = loser.url();
    await expect(selection(loser).getByRole('alert')).toContainText(
      new RegExp(
        `${seat} was (taken by another buyer a moment ago, so nothing was held|just taken by another buyer and has been removed from your selection)\\.`,
      ),
    );
    await expect(line(loser, seat)).toHaveCount(0);
    // The loser's page shows the seat as taken, without a reload.
    await loser.getByRole('button', { name: 'List of seats' }).click();
    await loser.getByLabel('Only show seats I can pick').uncheck();
    await loser.getByRole('region', { name: 'List of seats' }).getByLabel('Section').selectOption({ index: 0 }); // Stalls
    await expect(
      loser.getByRole('button', { name: new RegExp(`^${seat}, [^,]+, held by another buyer$`) }),
    ).toBeDisabled();
    expect(loser.url()).toBe(url);
    await releaseHeld(winner);
  });
});

test('a seat someone else holds while it is only selected is dropped from the selection with a notice', async ({
  browser,
}) => {
  await twoBuyersAtCabaret(browser, async (a, b, eventId, layout) => {
    const { row } = await freeRow(a.page, eventId, layout, 'Stalls', ['11', '12']);
    for (const { page } of [a, b]) await page.getByRole('button', { name: 'Zoom in' }).click();
    await clickSeat(b.page, layout, 'Stalls', row, '11');
    await clickSeat(b.page, layout, 'Stalls', row, '12');
    await expect(line(b.page, `Stalls, row ${row}, seat 11`)).toBeVisible();

    await clickSeat(a.page, layout, 'Stalls', row, '11');
    await a.page.getByRole('button', { name: 'Hold 1 seat' }).click();
    await expect(a.page.getByRole('heading', { name: '1 seat held for you' })).toBeVisible();

    // B did nothing: the live feed (stream, or polling when the stream is down) tells its page.
    await expect(selection(b.page).getByRole('alert')).toContainText(
      `Stalls, row ${row}, seat 11 was just taken by another buyer and has been removed from your selection.`,
      { timeout: 15_000 },
    );
    await expect(line(b.page, `Stalls, row ${row}, seat 11`)).toHaveCount(0);
    await expect(line(b.page, `Stalls, row ${row}, seat 12`)).toBeVisible();
    await releaseHeld(a.page);
  });
});

test('best available finds seats side by side, and leaving the page gives held seats back', async ({ page }) => {
  await signUp(page);
  const eventId = await openSeats(page, 'Les Misérables');
  const layout = await layoutOf(page, eventId);
  const form = page.getByRole('form', { name: 'Best available' });
  await form.getByLabel('Seats').selectOption('3');
  await form.getByLabel('Price').selectOption({ index: 3 }); // Premium stalls, Stalls, Balcony
  await form.getByRole('button', { name: 'Find seats' }).click();
  await expect(selection(page).getByRole('status')).toContainText(
    /Found 3 seats together: Balcony, row BA, seat \d+; Balcony, row BA, seat \d+ and Balcony, row BA, seat \d+\./,
  );
  const lines = line(page, /^Balcony, row BA, seat \d+$/);
  await expect(lines).toHaveCount(3);
  const seats = (await lines.allTextContents()).map((t) => t.split('seat ')[1]!);

  await page.getByRole('button', { name: 'Hold 3 seats' }).click();
  await expect(page.getByRole('heading', { name: '3 seats held for you' })).toBeVisible();
  await expect.poll(() => statusOf(page, eventId, layout, 'Balcony', 'BA', seats[0]!)).toBe('1');

  // Leaving through a link in the page (a client-side navigation) releases the hold.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Les Misérables' })).toBeVisible();
  for (const seat of seats) await expect.poll(() => statusOf(page, eventId, layout, 'Balcony', 'BA', seat)).toBe('0');

  // So does leaving the page altogether (the pagehide beacon).
  await page.getByRole('link', { name: 'Choose seats' }).click();
  await page.waitForURL(`**/events/${eventId}/seats`);
  await form.getByLabel('Seats').selectOption('1');
  await form.getByLabel('Price').selectOption({ index: 3 });
  await form.getByRole('button', { name: 'Find seats' }).click();
  const [again] = (await line(page, /^Balcony, row BA, seat \d+$/).allTextContents()).map((t) => t.split('seat ')[1]!);
  await page.getByRole('button', { name: 'Hold 1 seat' }).click();
  await expect(page.getByRole('heading', { name: '1 seat held for you' })).toBeVisible();
  await expect.poll(() => statusOf(page, eventId, layout, 'Balcony', 'BA', again!)).toBe('1');
  await page.goto('/');
  await expect.poll(() => statusOf(page, eventId, layout, 'Balcony', 'BA', again!)).toBe('0');
});

test('the countdown corrects for a wrong clock, turns urgent in the last two minutes and clears the selection when time is up', async ({
  page,
}) => {
  // This browser's clock is 40 minutes fast: the countdown must still show the server's 8 minutes.
  await page.clock.install({ time: new Date(Date.now() + 40 * 60_000) });
  await signUp(page);
  await openSeats(page, 'Hamlet');
  const form = page.getByRole('form', { name: 'Best available' });
  await form.getByLabel('Seats').selectOption('1');
  await form.getByRole('button', { name: 'Find seats' }).click();
  const seat = (await selection(page).getByTestId('seat-lines').locator('li > span').first().textContent())!;
  await page.getByRole('button', { name: 'Hold 1 seat' }).click();
  const countdown = page.getByTestId('hold-countdown');
  await expect(page.getByRole('timer')).toHaveText(/^[78]:\d\d$/);
  await expect(countdown).not.toHaveAttribute('data-urgent');
  const holdId = (await page.getByRole('link', { name: 'Continue to checkout' }).getAttribute('href'))!
    .split('/')
    .pop();

  await page.clock.fastForward('06:05');
  await expect(countdown).toHaveAttribute('data-urgent', 'true');
  await expect(page.getByRole('timer')).toHaveText(/^1:\d\d$/);
  await expect(countdown).toContainText('Hurry: your seats are about to be released');

  await page.clock.fastForward('02:00');
  await expect(selection(page).getByRole('alert')).toContainText(
    `Time is up: your hold on ${seat} ended after 8 minutes and the seats went back on sale.`,
  );
  await expect(page.getByRole('heading', { name: 'Your selection' })).toBeVisible();
  await expect(line(page, seat)).toHaveCount(0);
  // Only the browser's clock moved: give the seat back on the server.
  await page.request.delete(`/api/holds/${holdId}`);
});

test('the 50,800-seat stadium map opens and becomes interactive quickly', async ({ page }) => {
  await signUp(page);
  await page.goto('/events?q=Summit%20Sound%20Festival');
  await page.getByRole('link', { name: 'Summit Sound Festival', exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Summit Sound Festival' })).toBeVisible();
  const seatsUrl = new URL(page.url()).pathname + '/seats';
  const clickedAt = await page.evaluate(() => Date.now());
  await page.getByRole('link', { name: 'Choose seats' }).click();
  await page.waitForURL(`**${seatsUrl}`);
  await expect(seatMap(page)).toHaveAttribute('data-view', /,/);
  // The map marks its first frame drawn with every seat indexed; measured from the click on "Choose seats".
  const readyAt = () =>
    page.evaluate(() => performance.timeOrigin + performance.getEntriesByName('seat-map-ready')[0]!.startTime);
  const firstMs = (await readyAt()) - clickedAt;

  // A second visit, as a buyer coming back: the layout comes from the browser cache.
  await page.reload();
  await expect(seatMap(page)).toHaveAttribute('data-view', /,/);
  const warmMs = await page.evaluate(() => performance.getEntriesByName('seat-map-ready')[0]!.startTime);

  // Interactive: a click on a section zooms into it, a click on a seat selects it.
  const eventId = seatsUrl.split('/')[2]!;
  const layout = await layoutOf(page, eventId);
  const started = Date.now();
  await clickSeat(page, layout, '110', '1', '15');
  await expect(page.getByText('Select seats; drag to move around.')).toBeVisible();
  await clickSeat(page, layout, '110', '1', '15');
  await expect(line(page, 'Section 110, row 1, seat 15')).toBeVisible();
  const clicksMs = Date.now() - started;

  const note = `stadium map interactive after ${Math.round(firstMs)} ms (first visit), ${Math.round(warmMs)} ms (revisit); zoom into a section and select a seat: ${clicksMs} ms`;
  console.log(note);
  test.info().annotations.push({ type: 'measure', description: note });
  // Loose: the target is 3 s on this machine; the figure goes to the notes.
  expect(firstMs).toBeLessThan(6_000);
});

test('the seat page has no serious or critical accessibility violations (map, list, countdown)', async ({ page }) => {
  await signUp(page);
  await openSeats(page, 'Into the Woods');
  const check = (state: string) => expectAccessible(page, state);
  await check('map');
  const form = page.getByRole('form', { name: 'Best available' });
  await form.getByLabel('Seats').selectOption('1');
  await form.getByRole('button', { name: 'Find seats' }).click();
  await page.getByRole('button', { name: 'Hold 1 seat' }).click();
  await expect(page.getByRole('timer')).toBeVisible();
  await check('countdown');
  await page.getByRole('button', { name: 'List of seats' }).click();
  await check('list');
  await page.getByRole('button', { name: 'Release seat' }).click();
  await expect(page.getByRole('heading', { name: 'Your selection' })).toBeVisible();
});

test('at phone width the page fits and a seat can be picked from the list with large targets', async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 375, height: 812 },
    hasTouch: true,
    isMobile: true,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  try {
    await signUp(page);
    await openSeats(page, 'Hamlet');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.getByRole('button', { name: 'List of seats' }).tap();
    await page.getByRole('region', { name: 'List of seats' }).getByLabel('Section').selectOption({ index: 1 });
    const seat = page.getByRole('button', { name: /^Balcony, row BB, seat 5, [^,]+, available$/ });
    const box = (await seat.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(44);
    expect(box.height).toBeGreaterThanOrEqual(44);
    await seat.tap();
    await expect(page.getByRole('button', { name: /^Balcony, row BB, seat 5, [^,]+, selected$/ })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await expect(line(page, 'Balcony, row BB, seat 5')).toBeVisible();
  } finally {
    await context.close();
  }
});
