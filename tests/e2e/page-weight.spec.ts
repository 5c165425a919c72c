import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { COMPILE_HINT } from '../../scripts/compile-hints';
import { expect, test } from './fixtures/a11y';

/**
 * What the buyer's first pages ship (issue 16): the framework's scripts, which every page loads (the build
 * manifest's rootMainFiles: React, the App Router, Turbopack's runtime), and a few kilobytes beyond them. A client
 * provider in the root layout, next/link back in the header or on the cards, or the seat map's code on the event
 * page each add tens of kilobytes and fail here, in bytes as built, whatever the machine's speed.
 * `npm run bench:pages` measures what the scripts cost a phone.
 */
const BEYOND_FRAMEWORK_BUDGET = {
  home: 16 * 1024, // 14.7 kB: the layout router's client part and the error page
  search: 16 * 1024, // the same
  // plus the on-sale countdown (4.5 kB) and next/dynamic's loader (about 4 kB), which fetches the presale code form
  // and the waitlist panel as chunks of their own, only on the events where they show
  event: 26 * 1024,
};

const NEXT = resolve(process.cwd(), '.next');
const framework = new Set(
  (JSON.parse(readFileSync(resolve(NEXT, 'build-manifest.json'), 'utf8')) as { rootMainFiles: string[] }).rootMainFiles,
);

/** The page's own script files (not the legacy-browser polyfills), as paths under .next/ with their sizes. */
async function scripts(page: Page): Promise<{ file: string; bytes: number }[]> {
  const sources = await page
    .locator('script[src]:not([nomodule])')
    .evaluateAll((nodes) => nodes.map((n) => new URL((n as HTMLScriptElement).src).pathname));
  return sources
    .filter((path) => path.startsWith('/_next/static/'))
    .map((path) => path.slice('/_next/'.length))
    .map((file) => ({ file, bytes: statSync(resolve(NEXT, file)).size }));
}

async function beyondFramework(page: Page, path: string): Promise<number> {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const shipped = await scripts(page);
  expect(shipped.filter((s) => framework.has(s.file)).length, `${path} loads the framework`).toBe(framework.size);
  return shipped.filter((s) => !framework.has(s.file)).reduce((sum, s) => sum + s.bytes, 0);
}

test("the framework's scripts ask V8 to compile them off the main thread (scripts/compile-hints.ts)", () => {
  for (const file of framework) {
    if (file.endsWith('.js'))
      expect(readFileSync(resolve(NEXT, file), 'utf8').startsWith(COMPILE_HINT), file).toBe(true);
  }
});

test('the home, search and event pages ship little JavaScript beyond the framework', async ({ page }) => {
  expect(await beyondFramework(page, '/')).toBeLessThanOrEqual(BEYOND_FRAMEWORK_BUDGET.home);
  expect(await beyondFramework(page, '/events?q=hamlet')).toBeLessThanOrEqual(BEYOND_FRAMEWORK_BUDGET.search);

  // An event counting down to its sale: the page with the most client code of the three.
  await page.goto('/events?q=stadium+tour+opener');
  const event = await page
    .getByRole('list', { name: /^Events matching/ })
    .getByRole('link')
    .first()
    .getAttribute('href');
  expect(await beyondFramework(page, event!)).toBeLessThanOrEqual(BEYOND_FRAMEWORK_BUDGET.event);
  await expect(page.getByRole('timer')).toBeVisible();
});
