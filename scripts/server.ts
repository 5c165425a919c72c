/**
 * The production server (`npm start` runs it after building; `npm run dev` runs it with --dev): Next.js for pages and
 * most routes, and the hot routes of lib/http/hot-routes.ts answered by their own handlers before Next routes the
 * request (in production only; under --dev they go through Next like every other route).
 *
 * Run with tsx: `node --import tsx scripts/server.ts [--dev] [--port N] [--hostname H] [--workers N]`. PORT and the rest
 * of the configuration come from the environment (lib/env.ts). With more than one worker (--workers, else
 * WEB_CONCURRENCY) this process is a node:cluster primary: it loads no app, forks the workers that share the port,
 * restarts one that dies, and on SIGTERM drains them all (docs/decisions/036-many-instances.md).
 */
import cluster from 'node:cluster';
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

const argument = (name: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};

/** How long SIGTERM waits for the workers to drain (each gives itself 5 s) before killing what is left. */
const DRAIN_MS = 10_000;

/**
 * The cluster primary: forks `count` workers (each runs main() below on the shared port; the primary hands them
 * connections in turn), restarts a worker that dies (a second later, or five when it died before it listened), gives
 * up when the first start fails before any worker listened (a bad setting or a taken port: restarting would only
 * loop), and on SIGTERM or SIGINT asks every worker to drain and exits when they have.
 */
async function supervise(count: number): Promise<void> {
  let closing = false;
  let announced = false;
  let everListened = false;
  const listening = new Set<number>();
  const fork = (first: boolean) => {
    // Only the first worker of a start seeds the demo data and prints the banner; the others say nothing unless wrong.
    const worker = cluster.fork({ ADMITONE_WORKER_ROLE: first ? 'first' : 'other' });
    worker.on('listening', () => {
      everListened = true;
      listening.add(worker.id);
      if (listening.size === count && !announced) {
        announced = true;
        console.log(`• ${count} worker processes share the port (WEB_CONCURRENCY)`);
      }
    });
    worker.on('exit', (code, signal) => {
      const served = listening.delete(worker.id);
      if (closing) return;
      if (!everListened) {
        console.error(`✖ A worker process failed to start (exit ${code ?? signal}); stopping.`);
        shutdown(1);
        return;
      }
      console.error(`✖ Worker process ${worker.process.pid} died (exit ${code ?? signal}); starting another.`);
      setTimeout(() => !closing && fork(false), served ? 1_000 : 5_000).unref();
    });
  };
  const shutdown = (exitCode: number) => {
    if (closing) return;
    closing = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    for (const worker of workers) worker.process.kill('SIGTERM');
    const done = () => Object.values(cluster.workers ?? {}).every((w) => !w || w.isDead());
    const check = setInterval(() => {
      if (done()) process.exit(exitCode);
    }, 50);
    setTimeout(() => {
      clearInterval(check);
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(exitCode);
    }, DRAIN_MS).unref();
  };
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(0));
  for (let i = 0; i < count; i++) fork(i === 0);
}

/** The worker count: --workers (npm start resolves the default), else WEB_CONCURRENCY, else one. */
async function workerCount(): Promise<number> {
  if (cluster.isWorker || process.argv.includes('--dev')) return 1;
  const { env } = await import('@/lib/env');
  return Number(argument('--workers') ?? env().WEB_CONCURRENCY ?? 1);
}

async function main() {
  const dev = process.argv.includes('--dev');
  // In a cluster, what a server says once (the banner, the demo seed) is said by the first worker only.
  const quiet = cluster.isWorker && process.env.ADMITONE_WORKER_ROLE !== 'first';
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
  const demo = process.argv.includes('--demo') && !quiet;
  if (!quiet)
    console.log(
      `• Serving${dev ? ' (development)' : ` (${hot.size} hot routes served directly)`}${dataDir ? `, data in ${dataDir}/` : ''}`,
    );
  if (!quiet) console.log(`\n✓ AdmitOne is ready${took}: ${appUrl(e)}`);
  if (demo) {
    // Last, beside the URL: what a newcomer needs next. The seed creates these accounts before any event.
    const { DEMO_ACCOUNTS } = await import('@/db/seed/seed');
    console.log(`  Organizer (admin): ${DEMO_ACCOUNTS.admin.email} / ${DEMO_ACCOUNTS.admin.password}`);
    console.log(`  Buyer:             ${DEMO_ACCOUNTS.buyer.email} / ${DEMO_ACCOUNTS.buyer.password}`);
    console.log(`  Door staff:        ${DEMO_ACCOUNTS.door.email} / ${DEMO_ACCOUNTS.door.password} (scan at /scan)`);
    console.log(
      `  Box office:        ${DEMO_ACCOUNTS.boxOffice.email} / ${DEMO_ACCOUNTS.boxOffice.password} (/counter)`,
    );
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

workerCount()
  .then((count) => (count > 1 ? supervise(count) : main()))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
