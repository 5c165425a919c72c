import { expect, test } from './fixtures/a11y';

test('the home page lists seeded events and an event page opens', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  const response = await page.goto('/');
  // A strict policy: scripts only with this response's nonce, no framing; and nothing on the page was refused.
  const csp = response!.headers()['content-security-policy']!;
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toContain("'unsafe-inline' 'strict-dynamic'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response!.headers()['x-content-type-options']).toBe('nosniff');
  await expect(page.getByRole('heading', { name: 'Upcoming events' })).toBeVisible();
  const cards = page
    .getByRole('list')
    .filter({ has: page.getByRole('heading', { level: 3 }) })
    .getByRole('listitem');
  await expect(cards.first()).toBeVisible();
  expect(await cards.count()).toBeGreaterThanOrEqual(6);

  const first = cards.first().getByRole('link');
  const name = (await first.textContent())!.trim();
  await first.click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('Seats by section')).toBeVisible();
  await expect(page.getByRole('cell').first()).toBeVisible();
  expect(problems).toEqual([]);
});

test('health reports both dependencies', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.database.ok).toBe(true);
  expect(body.coordinator.ok).toBe(true);
  expect(body.database.mode).toBe(process.env.E2E_DATABASE_URL ? 'postgres' : 'pglite');
});
