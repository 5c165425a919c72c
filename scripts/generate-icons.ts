/**
 * Draws the app icons of the web app manifest (app/manifest.ts) into public/icons with Debian's Chromium: the site's
 * "A1" mark at 192 and 512 pixels, a maskable variant whose mark stays inside the 80% safe zone that a phone's mask
 * may crop to, and Apple's 180-pixel touch icon (app/apple-icon.png, which Next links by its name). Run `npx tsx scripts/generate-icons.ts` after changing the mark;
 * the PNGs are committed, so neither a build nor a start needs a browser.
 */
import { chromium } from '@playwright/test';
import { resolve } from 'node:path';

const BLUE = '#2552e8';
const mark = (size: number, maskable: boolean) => {
  const radius = maskable ? 0 : size * 0.22;
  const font = size * (maskable ? 0.34 : 0.42);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
  <rect width="${size}" height="${size}" rx="${radius}" fill="${BLUE}"/>
  <text x="50%" y="50%" dy="0.35em" text-anchor="middle" font-family="Liberation Sans, Arial, sans-serif"
    font-size="${font}" font-weight="700" fill="#fff">A1</text></svg>`;
};

const ICONS = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'icon-maskable-512.png', size: 512, maskable: true },
  { file: '../../app/apple-icon.png', size: 180, maskable: true },
];

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    for (const icon of ICONS) {
      const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
      await page.setContent(`<body style="margin:0;background:transparent">${mark(icon.size, icon.maskable)}</body>`);
      await page.screenshot({ path: resolve('public/icons', icon.file), omitBackground: true });
      await page.close();
      console.log(resolve('public/icons', icon.file));
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
