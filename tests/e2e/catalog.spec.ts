import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/a11y';

/** A buyer finds an event: search with a typo, narrow with filters, open it. Then axe checks each page. */

async function resultCount(page: Page): Promise<number> {
  const heading = page.getByRole('heading', { level: 2, name: /^\d[\d,]* events?\b/ });
  await expect(heading).toBeVisible();
  return Number((await heading.textContent())!.match(/^[\d,]+/)![0].replaceAll(',', ''));
}

const results = (page: Page) => page.getByRole('list', { name: /^Events/ }).getByRole('listitem');

async function expectNoSeriousViolations(page: Page, label: string) {
  const report = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const serious = report.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = serious
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
  expect(serious, `${label}:\n${summary}`).toEqual([]);
}

test('a search with a typo still finds the event', async ({ page }) => {
  await page.goto('/');
  const box = page.getByRole('searchbox', { name: 'Search events' });
  await box.fill('Auroa Lane');
  await box.press('Enter');
  await expect(page).toHaveURL(/\/events\?q=Auroa\+Lane/);
  await expect(page.getByRole('link', { name: 'Aurora Lane World Tour' })).toBeVisible();
  await expect(page.getByText(/Did you mean/)).toBeVisible();
  await page.getByRole('link', { name: 'aurora lane', exact: true }).click();
  await expect(page).toHaveURL(/q=aurora\+lane/);
  await expect(page.getByText(/Did you mean/)).toHaveCount(0);
  expect(await resultCount(page)).toBeGreaterThanOrEqual(2);
});

test('filters narrow the results and live in a shareable URL', async ({ page }) => {
  await page.goto('/events');
  const all = await resultCount(page);
  expect(all).toBeGreaterThan(40);

  await page
    .getByRole('navigation', { name: 'Narrow the results' })
    .getByRole('link', { name: /^Theatre \d+ events$/ })
    .click();
  await expect(page).toHaveURL(/category=theatre/);
  await expect(
    page.getByRole('group', { name: 'Active filters' }).getByRole('link', { name: /Theatre/ }),
  ).toBeVisible();
  const theatre = await resultCount(page);
  expect(theatre).toBeLessThan(all);

  // The form narrows further; it is a plain GET form, so the URL says everything.
  const city = page.getByRole('search', { name: 'Search events' }).getByLabel('City');
  // The filters disclosure opens by itself once a filter is set.
  if (!(await city.isVisible())) await page.getByText('Filters and sort').click();
  await city.selectOption('Boston');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/city=Boston/);
  await expect(page.getByRole('group', { name: 'Active filters' }).getByRole('link', { name: /Boston/ })).toBeVisible();
  const boston = await resultCount(page);
  expect(boston).toBeLessThan(theatre);
  expect(boston).toBeGreaterThan(0);
  const cards = results(page);
  await expect(cards).toHaveCount(Math.min(boston, 12));
  for (const card of await cards.all()) {
    await expect(card).toContainText('Boston');
    await expect(card).toContainText('Theatre');
  }

  // Shared with someone else, the link shows the same results.
  const shared = page.url();
  const other = await page.context().newPage();
  await other.goto(shared);
  expect(await resultCount(other)).toBe(boston);
  await other.close();

  await page.getByRole('group', { name: 'Active filters' }).getByRole('link', { name: 'Clear all' }).click();
  await expect(page).toHaveURL(/\/events$/);
  await expect.poll(() => resultCount(page)).toBe(all);
});

test('nothing found says what to try instead', async ({ page }) => {
  await page.goto('/events?q=hamlet&city=Seattle');
  await expect(page.getByRole('heading', { name: 'No events match “hamlet” with these filters' })).toBeVisible();
  await page.getByRole('link', { name: 'Clear the filters' }).click();
  await expect(page.getByRole('link', { name: 'Hamlet' }).first()).toBeVisible();
});

test('a buyer opens an event and finds the way into seat selection', async ({ page }) => {
  await page.goto('/events?q=hamlet');
  const first = results(page).first().getByRole('link');
  await expect(first).toHaveText('Hamlet');
  await first.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Hamlet' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Seats by section' })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: 'Stalls' })).toBeVisible();
  const choose = page.getByRole('link', { name: 'Choose seats' });
  await expect(choose).toHaveAttribute('href', /^\/events\/[0-9a-f-]{36}\/seats$/);
  expect(page.url()).toContain((await choose.getAttribute('href'))!.replace('/seats', ''));

  // A link to an event that does not exist answers 404 with a way back.
  const missing = await page.goto('/events/00000000-0000-4000-8000-000000000000');
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole('link', { name: 'Browse events' })).toBeVisible();
});

test('an event not yet on sale counts down to the opening', async ({ page }) => {
  await page.goto('/events?q=stadium+tour+opener');
  await results(page).first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: 'Aurora Lane: Stadium Tour Opener' })).toBeVisible();
  const timer = page.getByRole('timer');
  await expect(timer).toHaveText(/^\d+:\d\d:\d\d$/);
  await expect(timer).toHaveAccessibleName(/^Sales open in \d+ hours? \d+ minutes?$/);
  // It is live: the display changes while the page is open.
  const shown = await timer.textContent();
  await expect(timer).not.toHaveText(shown!, { timeout: 3_000 });
  await expect(page.getByRole('link', { name: 'Choose seats' })).toHaveCount(0);
});

test('home, search and event pages have no serious or critical axe violations', async ({ page }) => {
  await page.goto('/');
  await expectNoSeriousViolations(page, 'home');

  await page.goto('/events?q=auroa+lane');
  await expectNoSeriousViolations(page, 'search results with a respelling');

  await page.goto('/events?category=theatre&city=Boston&from=2026-01-01&maxPrice=100');
  await expectNoSeriousViolations(page, 'search with filters open');

  await page.goto('/events?q=hamlet&city=Seattle');
  await expectNoSeriousViolations(page, 'no results');

  await page.goto('/events?q=hamlet');
  await results(page).first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectNoSeriousViolations(page, 'event on sale');

  await page.goto('/events?q=stadium+tour+opener');
  await results(page).first().getByRole('link').click();
  await expect(page.getByRole('timer')).toBeVisible();
  await expectNoSeriousViolations(page, 'event with on-sale countdown');

  await page.setViewportSize({ width: 375, height: 800 });
  await page.goto('/events');
  await expectNoSeriousViolations(page, 'search at phone width');
});
