/**
 * The production server (`npm start` runs it after building; `npm run dev` runs it with --dev): Next.js for pages and
 * most routes, and the hot routes of lib/http/hot-routes.ts answered by their own handlers before Next routes the
 * request (in production only; under --dev they go through Next like every other route).
 *
 * Run with tsx: `node --import tsx scripts/server.ts [--dev] [--port N] [--hostname H]`. PORT and the rest of the
 * configuration come from the environment (lib/env.ts).
 */
import Module from 'node:module';
import { resolve } from 'node:path';
import { isBenchBuild } from './build-state';

// Modules that must never reach a browser bundle import 'server-only', which throws unless resolved for a server;
// this process is the server. (Next's own bundles resolve it at build time; this is for the hot routes' modules.)
const moduleWithResolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolveFilename = moduleWithResolver._resolveFilename;
const emptyServerOnly = resolve(__dirname, '../node_modules/server-only/empty.js');
moduleWithResolver._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'server-only' ? emptyServerOnly : resolveFilename.call(this, request, ...rest);
};

const root = resolve(__dirname, '..');

async function main() {
  const dev = process.argv.includes('--dev');
  const argument = (name: string) => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  const http = await import('node:http');
  const { default: next } = await import('next');
  const { env, appUrl } = await import('@/lib/env');
  const { HOT_ROUTES } = await import('@/lib/http/hot-routes');
  const { createRequestListener } = await import('@/lib/http/node-server');
  const { earlyShedding } = await import('@/lib/http/early-shed');
  const { parseProxyList } = await import('@/lib/ratelimit/proxy-list');
  const e = env();
  const port = Number(argument('--port') ?? e.PORT);
  const hostname = argument('--hostname') ?? process.env.HOSTNAME ?? '0.0.0.0';

  const app = next({ dev, dir: root, hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();

  const hot = new Map<string, import('@/lib/http/node-server').WebHandler>();
  if (!dev && e.HOT_ROUTES === 'on') {
    for (const route of HOT_ROUTES.filter((r) => !r.bench || isBenchBuild(root))) {
      const mod = (await import(resolve(root, route.module))) as Record<string, unknown>;
      const handler = mod[route.method];
      if (typeof handler !== 'function')
        throw new Error(`${route.module} exports no ${route.method} handler (lib/http/hot-routes.ts)`);
      hot.set(route.name, handler as import('@/lib/http/node-server').WebHandler);
    }
  }
  const listener = createRequestListener({
    hot,
    fallback: (req, res) => handle(req, res),
    origin: new URL(appUrl(e)).origin,
    shedding: dev ? undefined : earlyShedding(),
    trustedProxies: parseProxyList(e.TRUSTED_PROXIES),
  });
  const server = http.createServer({ keepAliveTimeout: 65_000 }, listener);
  if (dev) server.on('upgrade', app.getUpgradeHandler());
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(port, hostname, ready);
  });
  const startedAt = Number(argument('--started-at') ?? Number.NaN);
  const took = Number.isFinite(startedAt) ? ` in ${((Date.now() - startedAt) / 1000).toFixed(0)} s` : '';
  const dataDir = argument('--data-dir');
  const demo = process.argv.includes('--demo');
  console.log(
    `• Serving${dev ? ' (development)' : ` (${hot.size} hot routes served directly)`}${dataDir ? `, data in ${dataDir}/` : ''}`,
  );
  console.log(`\n✓ AdmitOne is ready${took}: ${appUrl(e)}`);
  if (demo) {
    // Last, beside the URL: what a newcomer needs next. The seed creates these accounts before any event.
    const { DEMO_ACCOUNTS } = await import('@/db/seed/seed');
    console.log(`  Organizer (admin): ${DEMO_ACCOUNTS.admin.email} / ${DEMO_ACCOUNTS.admin.password}`);
    console.log(`  Buyer:             ${DEMO_ACCOUNTS.buyer.email} / ${DEMO_ACCOUNTS.buyer.password}`);
    console.log('  Test card: pm_card_visa succeeds, pm_card_chargeDeclined declines. Ctrl-C stops the server.\n');
    void seedDemoData(appUrl(e));
  }

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    server.close();
    server.closeIdleConnections();
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

/** A first start's demo catalogue, added while the server already answers (db/seed/background.ts). */
async function seedDemoData(url: string): Promise<void> {
  const { getDbHandle } = await import('@/db/client');
  const { seedInBackground } = await import('@/db/seed/background');
  try {
    const report = await seedInBackground(await getDbHandle(), (line) => console.log(line));
    if (report && !report.skipped) {
      const seats = report.seats.toLocaleString('en');
      console.log(
        `✓ Demo events added: ${report.venues} venues, ${report.events} events, ${seats} seats (${(report.ms / 1000).toFixed(1)} s). ${url}`,
      );
    }
  } catch (error) {
    console.error(
      '✖ Adding the demo data failed; the app runs without it. Delete the data directory to try again.',
      error,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
