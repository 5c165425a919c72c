import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import manifest from '@/app/manifest';

/** PNG width and height from the IHDR chunk. */
function pngSize(path: string): string {
  const png = readFileSync(path);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`;
}

/**
 * Issue 20, item 5: "Add to Home Screen" gives an app that opens the buyer's tickets, offline too. Installable means
 * a manifest with a name, a start URL inside its scope, standalone display and 192 and 512 pixel icons (one maskable);
 * offline means the service worker keeps the page the app starts on. tests/e2e/checkout.spec.ts opens it offline.
 */
describe('the web app manifest', () => {
  const m = manifest();

  it('starts on the ticket list, standalone, inside its scope', () => {
    expect(m).toMatchObject({ start_url: '/tickets', display: 'standalone', scope: '/' });
    expect(m.name).toBeTruthy();
    expect(m.short_name!.length).toBeLessThanOrEqual(12);
  });

  it('has icons whose files exist with the sizes it claims, a maskable one among them', () => {
    for (const icon of m.icons!) expect(pngSize(resolve('public', icon.src.slice(1)))).toBe(icon.sizes);
    const sizes = m.icons!.map((i) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(m.icons!.some((i) => i.purpose === 'maskable')).toBe(true);
    expect(pngSize(resolve('app/apple-icon.png'))).toBe('180x180');
  });

  it('starts on a page the service worker keeps for offline use', () => {
    const sw = readFileSync(resolve('public/sw.js'), 'utf8');
    const pages = new RegExp(/const PAGES = \/(.+)\/;/.exec(sw)![1]!);
    expect(pages.test(m.start_url!)).toBe(true);
    for (const shortcut of m.shortcuts!) expect(shortcut.url.startsWith('/')).toBe(true);
  });
});
