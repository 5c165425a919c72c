/**
 * `npm run bench:pages [-- --url http://localhost:3000] [--runs 3] [--check]`: how the buyer's first pages load on a
 * phone. Lighthouse 12 (its default mobile profile: a mid-range phone, 4x CPU slowdown, slow 4G, simulated) with
 * Debian's Chromium, against an app that is already running (`npm start`), on the home page, a search and an event
 * page. Prints each page's median performance score, LCP, total blocking time, and the JavaScript it ships (bytes over
 * the wire, and unpacked). With --check, exits non-zero below the targets (performance >= 90, TBT < 200 ms).
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';

const argument = (name: string, fallback: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback;
};
const base = argument('--url', 'http://localhost:3000').replace(/\/$/, '');
const runs = Number(argument('--runs', '3'));
const check = process.argv.includes('--check');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the version actually installed, for the report
const LIGHTHOUSE_VERSION = (require('lighthouse/package.json') as { version: string }).version;
const TARGET = { score: 90, tbtMs: 200 };

type Run = {
  score: number;
  lcpMs: number;
  tbtMs: number;
  fcpMs: number;
  jsTransfer: number;
  jsResource: number;
  scripts: number;
};
type NetworkItem = { url: string; resourceType?: string; transferSize?: number; resourceSize?: number };

async function pages(): Promise<{ name: string; path: string }[]> {
  const response = await fetch(`${base}/api/events?limit=1`);
  if (!response.ok) throw new Error(`${base}/api/events answered ${response.status}: is the app running (npm start)?`);
  const { items } = (await response.json()) as { items: { id: string }[] };
  if (!items[0]) throw new Error('No events yet: wait for the demo data (npm start prints when it is loaded).');
  return [
    { name: 'home', path: '/' },
    { name: 'search', path: '/events?q=hamlet' },
    { name: 'event', path: `/events/${items[0].id}` },
  ];
}

type Report = {
  runtimeError?: { code: string; message: string };
  categories: { performance?: { score: number | null } };
  audits: Record<string, { numericValue?: number; details?: unknown } | undefined>;
};

const LIGHTHOUSE = resolve(__dirname, '../node_modules/lighthouse/cli/index.js');

/**
 * Lighthouse's own CLI in a plain Node process, on the Chromium launched here: under tsx its page scripts (functions
 * it serialises into the page) would carry esbuild's name helpers, which do not exist in the page.
 */
async function measure(port: number, url: string): Promise<Run> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      LIGHTHOUSE,
      url,
      `--port=${port}`,
      '--output=json',
      '--output-path=stdout',
      '--only-categories=performance',
      '--quiet',
    ],
    {
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  const lhr = JSON.parse(stdout) as Report;
  if (lhr.runtimeError) throw new Error(`${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const audit = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  const network = (
    (lhr.audits['network-requests']?.details as { items?: NetworkItem[] } | undefined)?.items ?? []
  ).filter((r) => r.resourceType === 'Script');
  return {
    score: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    lcpMs: audit('largest-contentful-paint'),
    tbtMs: audit('total-blocking-time'),
    fcpMs: audit('first-contentful-paint'),
    jsTransfer: network.reduce((sum, r) => sum + (r.transferSize ?? 0), 0),
    jsResource: network.reduce((sum, r) => sum + (r.resourceSize ?? 0), 0),
    scripts: network.length,
  };
}

/** Lighthouse now and then loses a trace on a busy machine (NO_NAVSTART, NO_FCP): that run is taken again, twice at most. */
async function measureWithRetry(port: number, url: string): Promise<Run> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await measure(port, url);
    } catch (error) {
      if (attempt >= 3) throw error;
      console.error(
        `  (${url}: ${(error instanceof Error ? error.message : String(error)).split('\n').pop()}; measuring again)`,
      );
    }
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
  const list = await pages();
  const chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    chromeFlags: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
    ],
  });
  const rows: string[][] = [];
  let failed = false;
  try {
    for (const page of list) {
      // One unmeasured visit first: the server's caches and the route's first compile are not what a phone measures.
      await fetch(`${base}${page.path}`).then((r) => r.arrayBuffer());
      const results: Run[] = [];
      for (let i = 0; i < runs; i++) results.push(await measureWithRetry(chrome.port, `${base}${page.path}`));
      const m = (key: keyof Run) => median(results.map((r) => r[key]));
      const ok = m('score') >= TARGET.score && m('tbtMs') < TARGET.tbtMs;
      failed ||= !ok;
      rows.push([
        page.name,
        String(m('score')),
        seconds(m('lcpMs')),
        `${Math.round(m('tbtMs'))} ms`,
        seconds(m('fcpMs')),
        `${kb(m('jsTransfer'))} (${kb(m('jsResource'))})`,
        String(m('scripts')),
        ok ? 'ok' : 'below target',
      ]);
    }
  } finally {
    await chrome.kill();
  }
  const header = [
    'page',
    'performance',
    'LCP',
    'TBT',
    'FCP',
    'JS wire (unpacked)',
    'scripts',
    `target >= ${TARGET.score}, TBT < ${TARGET.tbtMs} ms`,
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(
    `Lighthouse ${LIGHTHOUSE_VERSION} mobile (simulated throttling), median of ${runs} run${runs === 1 ? '' : 's'}, ${base}`,
  );
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  if (check && failed) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
