import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOT_ROUTES } from '@/lib/http/hot-routes';
import { benchBuildMarker, needsBuild } from './build-state';

const root = resolve(__dirname, '..');
const configPath = resolve(root, 'next.config.js');
const load = createRequire(__filename);

/** next.config.js as `next build` reads it with BENCH_BUILD set to `flag` (or unset). */
function nextConfig(flag?: string): { pageExtensions: string[] } {
  const before = process.env.BENCH_BUILD;
  if (flag === undefined) delete process.env.BENCH_BUILD;
  else process.env.BENCH_BUILD = flag;
  try {
    delete load.cache[configPath];
    return load(configPath) as { pageExtensions: string[] };
  } finally {
    if (before === undefined) delete process.env.BENCH_BUILD;
    else process.env.BENCH_BUILD = before;
  }
}

/**
 * Issue 17, item 5: the benchmark's route is not in the product. Only a build made with BENCH_BUILD=1 compiles
 * `.bench.ts` files; the production server registers a `bench` hot route only on such a build.
 */
describe('builds for benchmarks', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('compile the .bench.ts routes, and only they do', () => {
    expect(nextConfig().pageExtensions).not.toContain('bench.ts');
    expect(nextConfig('0').pageExtensions).not.toContain('bench.ts');
    expect(nextConfig('1').pageExtensions).toContain('bench.ts');
    for (const route of HOT_ROUTES.filter((r) => r.bench)) {
      expect(route.module).toMatch(/\/route\.bench\.ts$/);
      expect(existsSync(resolve(root, route.module.replace(/\.bench\.ts$/, '.ts'))), route.module).toBe(false);
    }
  });

  it('are rebuilt for npm start, and a production build is rebuilt for the tests', () => {
    const dir = mkdtempSync(join(tmpdir(), 'admitone-build-'));
    dirs.push(dir);
    mkdirSync(join(dir, '.next'));
    writeFileSync(join(dir, '.next/BUILD_ID'), 'x');
    expect(needsBuild(dir)).toBe(false);
    expect(needsBuild(dir, { bench: true })).toBe(true);
    writeFileSync(benchBuildMarker(dir), '');
    expect(needsBuild(dir)).toBe(true);
    expect(needsBuild(dir, { bench: true })).toBe(false);
  });
});
