import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { benchBuildMarker, needsBuild } from '../../scripts/build-state';
import { addCompileHints } from '../../scripts/compile-hints';

const root = resolve(__dirname, '../..');
const next = resolve(root, 'node_modules/next/dist/bin/next');

/** Node arguments that run the production server (scripts/server.ts, what `npm start` runs) on a port of loopback. */
export const serverArgs = (port: number, from: string = root) => [
  '--import',
  'tsx',
  resolve(from, 'scripts/server.ts'),
  '--port',
  String(port),
  '--hostname',
  '127.0.0.1',
];

/**
 * Builds the app once if it is missing, stale or of the other kind: the product as `npm start` builds it, which the
 * browser tests then reuse, or with `bench` a build for benchmarks, with their `.bench.ts` routes (next.config.js).
 * A lock keeps parallel test files from building together.
 */
export async function ensureBuilt(options: { bench?: boolean } = {}): Promise<void> {
  const bench = options.bench ?? false;
  const lock = resolve(root, '.next-build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (!needsBuild(root, { bench })) return;
    // Asynchronous, so `npm test` runs the type check and lint beside the build (scripts/test.ts).
    const child = spawn(process.execPath, [next, 'build'], {
      cwd: root,
      stdio: 'pipe',
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', BENCH_BUILD: bench ? '1' : '0' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const status = await new Promise<number | null>((done) => child.on('close', done));
    if (status !== 0) throw new Error(`next build failed:\n${output}`);
    addCompileHints(root);
    if (bench) writeFileSync(benchBuildMarker(root), '');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** `pid`: the app server process (benchmarks read its CPU time, and its children's, from /proc). */
export type AppServer = { url: string; port: number; pid: number; stop: () => Promise<void>; output: () => string };

/** The secrets every test app server runs with (the same ones vitest gives the test process). */
export const TEST_SECRETS = {
  AUTH_SECRET: 'test-auth-secret-that-is-long-enough-0123456789',
  QUEUE_TOKEN_SECRET: 'test-queue-secret-that-is-long-enough-0123456789',
  TICKET_KEY_SECRET: 'test-ticket-secret-that-is-long-enough-0123456789',
  CRON_SECRET: 'test-cron-secret-that-is-long-enough-0123456789',
};

/** The environment of a production server on `port` run by the tests and benchmarks (before their own settings). */
export const serverEnv = (port: number): NodeJS.ProcessEnv => ({
  ...process.env,
  ...TEST_SECRETS,
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  LOG_LEVEL: 'warn',
  PORT: String(port),
});

/** Stops a server process: SIGTERM, and SIGKILL when it has not exited 5 s later; resolves once it has exited. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  if (child.exitCode !== null || child.signalCode) return;
  child.kill('SIGKILL');
  await exited;
}

/**
 * Starts the built app's production server (scripts/server.ts) on a port with the given environment and waits until
 * it is healthy. `root`: another checkout's, built there (a benchmark comparing two versions of the code).
 */
export async function startAppServer(
  port: number,
  env: Record<string, string>,
  options: { nodeArgs?: string[]; root?: string } = {},
): Promise<AppServer> {
  let log = '';
  const from = options.root ?? root;
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), ...serverArgs(port, from)], {
    cwd: from,
    // Poll shedding follows the event loop's lag, which a busy CI machine gives any process now and then; the tests
    // of it (tests/integration/early-shedding.test.ts) drive it with a lag of their own.
    env: {
      ...serverEnv(port),
      SHED_POLL_LAG_MS: '0',
      TRUSTED_PROXIES: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  // A loaded CI machine can take a while to start a production server: wait up to 90 s, then say so, rather than
  // hand the tests a server that refuses their connections.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app server exited early:\n${log}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`app server on port ${port} was not healthy within 90 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    pid: child.pid!,
    output: () => log,
    stop: () => stopProcess(child),
  };
}
