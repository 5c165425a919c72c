import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addCompileHints, COMPILE_HINT } from './compile-hints';

/** A build directory with a manifest naming two framework scripts and a stylesheet, beside a page's own chunk. */
function fakeBuild(): string {
  const root = mkdtempSync(join(tmpdir(), 'compile-hints-'));
  mkdirSync(join(root, '.next/static/chunks'), { recursive: true });
  const files = { 'framework.js': 'f();', 'runtime.js': 'r();', 'page.js': 'p();', 'framework.css': 'a{}' };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, '.next/static/chunks', name), text);
  const rootMainFiles = ['static/chunks/framework.js', 'static/chunks/runtime.js', 'static/chunks/framework.css'];
  writeFileSync(join(root, '.next/build-manifest.json'), JSON.stringify({ rootMainFiles }));
  return root;
}

describe('addCompileHints', () => {
  const roots: string[] = [];
  afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));
  const read = (root: string, name: string) => readFileSync(join(root, '.next/static/chunks', name), 'utf8');

  it("marks only the framework's scripts, as their first line, and a second run changes nothing", () => {
    const root = fakeBuild();
    roots.push(root);
    expect(addCompileHints(root)).toEqual(['static/chunks/framework.js', 'static/chunks/runtime.js']);
    expect(read(root, 'framework.js')).toBe(`${COMPILE_HINT}f();`);
    expect(read(root, 'runtime.js')).toBe(`${COMPILE_HINT}r();`);
    expect(read(root, 'page.js')).toBe('p();');
    expect(read(root, 'framework.css')).toBe('a{}');
    expect(addCompileHints(root)).toEqual([]);
    expect(read(root, 'framework.js')).toBe(`${COMPILE_HINT}f();`);
  });

  it('says so when there is no build', () => {
    const root = mkdtempSync(join(tmpdir(), 'compile-hints-'));
    roots.push(root);
    expect(() => addCompileHints(root)).toThrow(/No build/);
  });
});
