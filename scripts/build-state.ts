import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Written into .next by tests/support/app-server.ts after a build made with BENCH_BUILD=1 (next.config.js). */
export const benchBuildMarker = (root = process.cwd()) => resolve(root, '.next/BENCH_BUILD');

/**
 * Whether the build in .next was made for benchmarks, with their `.bench.ts` routes. Next empties .next
 * when it builds, so a later build for `npm start` leaves no marker behind.
 */
export const isBenchBuild = (root = process.cwd()) => existsSync(benchBuildMarker(root));

/**
 * True when there is no production build, or it is of the other kind (`bench`: made for benchmarks), or
 * a source it depends on changed after it was made.
 */
export function needsBuild(root = process.cwd(), options: { bench?: boolean } = {}): boolean {
  const buildId = resolve(root, '.next/BUILD_ID');
  if (!existsSync(buildId) || isBenchBuild(root) !== (options.bench ?? false)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = [
    'app',
    'components',
    'lib',
    'db', // the client, SQL helpers and seed code are bundled too, not only the schema
    'middleware.ts',
    'instrumentation.ts',
    'next.config.js',
    'package.json',
    'public',
    'postcss.config.mjs',
  ];
  return sources.some((s) => newestMtime(resolve(root, s)) > built);
}
