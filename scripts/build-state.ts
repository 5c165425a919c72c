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

/** True when there is no production build or a source it depends on changed after it was made. */
export function needsBuild(root = process.cwd()): boolean {
  const buildId = resolve(root, '.next/BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = ['app', 'components', 'lib', 'db/schema', 'middleware.ts', 'instrumentation.ts', 'next.config.js', 'package.json', 'public', 'postcss.config.mjs'];
  return sources.some((s) => newestMtime(resolve(root, s)) > built);
}
