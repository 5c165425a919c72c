import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 16, first run item 4: a newcomer follows the README and docs/ from a clone of this repository alone, so
 * every link there (and every repository path written as code, which readers follow just the same) must lead to a
 * file inside it, and a `#anchor` to a heading of that file.
 */
const root = resolve(__dirname, '../..');

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? markdownFiles(path) : entry.endsWith('.md') ? [path] : [];
  });
}
const files = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)].map((m) => slug(m[1]!)));
}

/** Code spans naming a path in the repository (a top-level folder of ours, or a relative path), not globs or elisions. */
const REPO_PATH =
  /^(\.\.?\/|(app|components|lib|db|docs|tests|bench|scripts|deploy|public)\/)[^*<>{}\s]*\.[a-z]{1,4}$/i;

type Reference = { file: string; target: string; kind: 'link' | 'code' };

function references(file: string): Reference[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const links = [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const code = [...text.matchAll(/`([^`\n]+)`/g)]
    .map((m) => m[1]!)
    .filter((span) => REPO_PATH.test(span) && !span.includes('...'));
  return [
    ...links
      .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
      .map((target) => ({ file, target, kind: 'link' as const })),
    ...code.map((target) => ({ file, target, kind: 'code' as const })),
  ];
}

/** Why the reference does not resolve, or undefined when it does. */
function problem({ file, target, kind }: Reference): string | undefined {
  const [path, anchor] = target.split('#') as [string, string | undefined];
  // A link is relative to its file; a path written as code may also be from the repository root, as READMEs write them.
  const candidates =
    path === ''
      ? [file]
      : kind === 'link'
        ? [resolve(dirname(file), decodeURI(path))]
        : [resolve(dirname(file), path), resolve(root, path)];
  const inside = candidates.filter((c) => c === root || c.startsWith(root + sep));
  if (inside.length === 0) return 'points outside the repository';
  const found = inside.find((c) => existsSync(c));
  if (!found) return 'no such file';
  if (anchor && found.endsWith('.md') && !anchors(found).has(anchor))
    return `no heading #${anchor} in ${relative(root, found)}`;
  return undefined;
}

describe('links in the README and docs/', () => {
  it('finds the documents and their links', () => {
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap(references).length).toBeGreaterThan(20);
  });

  it.each(files.map((f) => [relative(root, f), f]))(
    'every link and repository path in %s resolves inside the repository',
    (_name, file) => {
      const broken = references(file)
        .map((r) => ({ ...r, why: problem(r) }))
        .filter((r) => r.why)
        .map((r) => `${r.kind === 'code' ? `\`${r.target}\`` : `(${r.target})`}: ${r.why}`);
      expect(broken).toEqual([]);
    },
  );

  it('catches a link that leaves the repository, a missing file and a missing heading', () => {
    const readme = join(root, 'README.md');
    expect(problem({ file: readme, target: '../shared/ARCHITECTURE.md', kind: 'code' })).toBe(
      'points outside the repository',
    );
    expect(problem({ file: readme, target: 'docs/no-such-page.md', kind: 'link' })).toBe('no such file');
    expect(problem({ file: readme, target: 'docs/security.md#no-such-heading', kind: 'link' })).toMatch(/no heading/);
    expect(slug('Issue 15: the edges an outside attacker found')).toBe('issue-15-the-edges-an-outside-attacker-found');
  });
});
