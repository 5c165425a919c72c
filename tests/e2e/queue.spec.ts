import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { ensureBuilt, startAppServer, type AppServer } from '../support/app-server';
import { freePort } from '../support/redis-process';
import { dropDatabase, recreateDatabase } from '../support/scratch-database';
import { expect, expectAccessible, test } from './fixtures/a11y';

/**
 * A buyer arrives at a busy event, watches the line move and is taken to seat selection by the page itself, then
 * holds seats. The event needs a capacity of one, so this test runs its own app server on data it prepares
 * (tests/e2e/fixtures/busy-event.ts): PGlite by default, PostgreSQL and Redis when the suite runs on them.
 */
type Busy = { eventId: string; cookies: string[] };

let server: AppServer;
let busy: Busy;
let cleanup: () => Promise<void> = async () => {};

test.beforeAll(async () => {
  test.setTimeout(600_000);
  await ensureBuilt();
  let target: string;
  const env: Record<string, string> = {};
  if (process.env.E2E_DATABASE_URL) {
    const url = process.env.E2E_DATABASE_URL;
    const name = `${new URL(url).pathname.slice(1)}_queue`;
    target = env.DATABASE_URL = await recreateDatabase(url, name);
    cleanup = () => dropDatabase(url, name);
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'admitone-e2e-queue-'));
    target = env.ADMITONE_DATA_DIR = dir;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const prepared = spawnSync(
    'node_modules/.bin/tsx',
    ['--conditions=react-server', 'tests/e2e/fixtures/busy-event.ts', target],
    { encoding: 'utf8' },
  );
  if (prepared.status !== 0) throw new Error(`fixture failed:\n${prepared.stderr}`);
  busy = JSON.parse(prepared.stdout) as Busy;
  server = await startAppServer(await freePort(), env);
});

test.afterAll(async () => {
  await server?.stop();
  await cleanup();
});

const queueApi = (request: APIRequestContext, method: 'post' | 'delete', cookie: string, ip: string) =>
  request[method](`${server.url}/api/events/${busy.eventId}/queue`, { headers: { cookie, 'x-forwarded-for': ip } });

test('a buyer at a busy event sees the line move, is taken to seat selection by itself, and holds seats', async ({
  page,
  context,
  request,
}) => {
  test.setTimeout(120_000);
  const [first, second, buyer] = busy.cookies as [string, string, string];
  const { eventId } = busy;
  // The one place is taken, and someone else is already waiting.
  expect(await (await queueApi(request, 'post', first, '198.51.100.11')).json()).toMatchObject({ state: 'admitted' });
  expect(await (await queueApi(request, 'post', second, '198.51.100.12')).json()).toMatchObject({
    state: 'waiting',
    position: 1,
  });

  const [name, value] = [buyer.slice(0, buyer.indexOf('=')), buyer.slice(buyer.indexOf('=') + 1)];
  await context.addCookies([{ name, value, url: server.url }]);

  // From the event page to seat selection: the gate sends the buyer to the waiting room instead.
  const seatsUrl = `${server.url}/events/${eventId}/seats`;
  await page.goto(`${server.url}/events/${eventId}`);
  await page.getByRole('link', { name: 'Choose seats' }).click();
  await expect(page).toHaveURL(`${server.url}/events/${eventId}/queue`);
  await expect(page.getByRole('heading', { level: 1, name: 'The Busy Night' })).toBeVisible();
  await expect(page.getByTestId('position')).toHaveText('2');
  await expect(page.getByText('1 person ahead of you')).toBeVisible();
  await expect(page.getByText('Estimated wait:')).toBeVisible();
  // The one shopping place is taken: the page says admission waits for that shopper, not for the line.
  await expect(page.getByTestId('shoppers-full')).toHaveText(
    /^The one shopping place is taken\. You go in when a shopper ahead finishes or their time runs out/,
  );
  await expect(page.getByTestId('checked')).toHaveText(/^Position updated (just now|\d+ s ago)\.$/);
  await expectAccessible(page, 'waiting in line');

  // The person ahead gives up: the page moves the buyer up without a reload.
  await queueApi(request, 'delete', second, '198.51.100.12');
  await expect(page.getByTestId('position')).toHaveText('1', { timeout: 20_000 });
  await expect(page.getByText('You are next.')).toBeVisible();

  // The shopper finishes: the page admits the buyer and moves on to seat selection by itself.
  const seatRequest = page.waitForResponse((r) => new URL(r.url()).pathname === `/events/${eventId}/seats`, {
    timeout: 20_000,
  });
  await queueApi(request, 'delete', first, '198.51.100.11');
  await page.waitForURL(seatsUrl, { timeout: 20_000 });
  // The gate let the page request through (a refusal would be a 307 back to the queue).
  const seatResponse = await seatRequest;
  expect(seatResponse.status()).not.toBe(307);
  await expect(page.getByRole('application', { name: /^Seat map of/ })).toBeVisible();
  const direct = await page.request.get(seatsUrl, { maxRedirects: 0 });
  expect(direct.status()).not.toBe(307);
  expect(direct.headers()['x-admitone-gate']).toBeUndefined();
  const cookies = await context.cookies(server.url);
  const admission = cookies.find((c) => c.name === `a1q.${eventId}`);
  expect(admission).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

  // Then hold seats with the admission (the hold API checks it again).
  const layout = (await (await page.request.get(`${server.url}/api/events/${eventId}/layout`)).json()) as {
    seats: { id: number[] };
  };
  const hold = await page.request.post(`${server.url}/api/events/${eventId}/holds`, {
    data: { seatIds: layout.seats.id.slice(0, 2) },
  });
  expect(hold.status()).toBe(201);
  expect(await hold.json()).toMatchObject({ eventId, seatIds: layout.seats.id.slice(0, 2), status: 'active' });

  // Without the admission cookie, the same browser is sent back to the queue.
  await context.clearCookies({ name: `a1q.${eventId}` });
  const refused = await page.request.get(seatsUrl, { maxRedirects: 0 });
  expect(refused.status()).toBe(307);
  expect(new URL(refused.headers().location!, server.url).href).toBe(`${server.url}/events/${eventId}/queue`);
});
