import { expect, test } from './fixtures/api-contract';

/** Issue 17, item 7: the API reference a newcomer opens, rendered from the document the API serves. */
test('the API reference lists every operation by tag, and a tag page gives each one its problem codes', async ({
  page,
}) => {
  const document = await (await page.request.get('/api/openapi.json')).json();
  expect(document.openapi).toBe('3.1.0');
  const operations = Object.values(document.paths as Record<string, object>).reduce(
    (n: number, item) => n + Object.keys(item).length,
    0,
  );

  await page.goto('/docs/api');
  await expect(page.getByRole('heading', { level: 1, name: 'AdmitOne API reference' })).toBeVisible();
  await expect(page.locator('section li a[href^="/docs/api/"]')).toHaveCount(operations);

  await page.getByRole('link', { name: 'Seats and holds', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Seats and holds' })).toBeVisible();
  const hold = page.getByRole('region', { name: /post \/api\/events\/\{id\}\/holds/i });
  await expect(hold.getByText('SEATS_UNAVAILABLE', { exact: true })).toBeVisible();
  await expect(hold.getByText('hot route')).toBeVisible();

  // A shared shape opens on the schemas page at its entry.
  await hold.getByRole('link', { name: 'Hold', exact: true }).first().click();
  await expect(page).toHaveURL(/\/docs\/api\/schemas#schema-Hold$/);
  await expect(page.getByRole('heading', { level: 2, name: 'Hold', exact: true })).toBeVisible();
});
