import { expect, test } from './fixtures/api-contract';

/** Issue 17, item 7: the API reference a newcomer opens, rendered from the document the API serves. */
test('the API reference lists every operation by tag with its problem codes', async ({ page }) => {
  // One long page with the whole API: axe's pass over it at the end takes most of a minute on a busy machine.
  test.slow();
  const document = await (await page.request.get('/api/openapi.json')).json();
  expect(document.openapi).toBe('3.1.0');
  const operations = Object.values(document.paths as Record<string, object>).reduce((n: number, item) => n + Object.keys(item).length, 0);

  await page.goto('/docs/api');
  await expect(page.getByRole('heading', { level: 1, name: 'AdmitOne API reference' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Seats and holds' })).toBeVisible();
  await expect(page.locator('section[id] h3 code')).toHaveCount(operations);
  const hold = page.getByRole('region', { name: /post \/api\/events\/\{id\}\/holds/i });
  await expect(hold.getByText('SEATS_UNAVAILABLE', { exact: true })).toBeVisible();
  await expect(hold.getByText('hot route')).toBeVisible();
});
