import { expect, test } from '@playwright/test';

test('the home page lists seeded events and an event page opens', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Upcoming events' })).toBeVisible();
  const cards = page.getByRole('list').filter({ has: page.getByRole('heading', { level: 3 }) }).getByRole('listitem');
  await expect(cards.first()).toBeVisible();
  expect(await cards.count()).toBeGreaterThanOrEqual(6);

  const first = cards.first().getByRole('link');
  const name = (await first.textContent())!.trim();
  await first.click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('Seats by section')).toBeVisible();
  await expect(page.getByRole('cell').first()).toBeVisible();
});

test('health reports both dependencies', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.database.ok).toBe(true);
  expect(body.coordinator.ok).toBe(true);
  expect(body.database.mode).toBe(process.env.E2E_DATABASE_URL ? 'postgres' : 'pglite');
});
