/**
 * After `next build`: marks the framework's scripts for eager compilation with V8's explicit compile hint
 * (`//# allFunctionsCalledOnLoad` as a script's first line; Chrome 136 and later, other browsers read a comment).
 *
 * Why: every page runs the same framework scripts at start (the build manifest's `rootMainFiles`: React DOM, the App
 * Router, Turbopack's runtime), and nearly every function in them runs while the page boots and hydrates. Without the
 * hint V8 compiles each of those functions lazily, on the main thread, inside the one task that evaluates the modules
 * and starts hydration: on a phone that task is most of the page's total blocking time. With it, V8 compiles them on
 * a background thread while the script streams in. Measured in thread CPU time on this machine's Chromium: the boot
 * task went from 100-145 ms to about 50 ms (docs/bench.md, "Pages on a phone").
 *
 * Only the framework's scripts: a page's own chunks and the lazily loaded islands keep V8's lazy compilation, since
 * many of their functions (event handlers) never run on load and compiling them would be wasted work.
 *
 * The chunk names are content hashes and the added line is the same for every build, so a file's name still names
 * one content: a browser's or CDN's cached copy under that name is never stale. Running it twice changes nothing.
 * `npm start`, `npm run build` and the browser tests' build (tests/support/app-server.ts) all run it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';

/** Adds the hint to the build's framework scripts that lack it; returns the files it changed. */
export function addCompileHints(root = process.cwd()): string[] {
  const manifestFile = resolve(root, '.next/build-manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`No build in ${root}/.next: run next build first.`);
  const { rootMainFiles } = JSON.parse(readFileSync(manifestFile, 'utf8')) as { rootMainFiles: string[] };
  const changed: string[] = [];
  for (const file of rootMainFiles.filter((f) => f.endsWith('.js'))) {
    const path = resolve(root, '.next', file);
    const source = readFileSync(path, 'utf8');
    if (source.startsWith(COMPILE_HINT)) continue;
    writeFileSync(path, COMPILE_HINT + source);
    changed.push(file);
  }
  return changed;
}

if (require.main === module) {
  const changed = addCompileHints();
  console.log(`Compile hints: ${changed.length} framework script${changed.length === 1 ? '' : 's'} marked.`);
}
