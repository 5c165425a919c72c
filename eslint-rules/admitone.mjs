// House rules that ESLint's own rules cannot express (docs/architecture.md, "House rules"). Each rule reads only the
// file being linted and the first lines of the files it imports, so a lint run stays fast.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

/**
 * The modules under lib/ and db/ that the browser may import: pure code with no server dependency. A 'use client'
 * component may import these (and server actions, which the browser reaches only by reference); each of these may
 * import only others of them. Add a module here only if it is safe to ship to every visitor.
 */
export const BROWSER_SAFE = [
  /^lib\/contracts\//,
  /^lib\/format\.ts$/,
  /^lib\/pricing\/money\.ts$/,
  /^lib\/admin\/(cancel-event-contract|compile-layout|dashboard-types|layout-json|orders-desk-contract)\.ts$/,
  /^lib\/inventory\/best-available\.ts$/,
  /^lib\/security\/proof-of-work-solver\.ts$/,
  /^lib\/tickets\/ticket-code\.ts$/,
  /^lib\/checkin\/signed-list\.ts$/,
];

/** Packages whose presence makes a module server-only: it must say so with `import 'server-only'`. */
const SERVER_PACKAGES =
  /^(@\/db\/client|@\/db\/sql|postgres|ioredis|@upstash\/redis|stripe|better-auth(\/.*)?|next\/headers)$/;

const cache = new Map();
/** The repository-relative file an import names, if it is ours; with whether it is server-only or a server action. */
function target(source, fromFile) {
  let base;
  if (source.startsWith('@/')) base = join(root, source.slice(2));
  else if (source.startsWith('.')) base = resolve(dirname(fromFile), source);
  else return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]) {
    if (!/\.tsx?$/.test(candidate) || !existsSync(candidate)) continue;
    let info = cache.get(candidate);
    if (!info) {
      const text = readFileSync(candidate, 'utf8');
      info = {
        path: relative(root, candidate),
        serverOnly: /^import 'server-only';/m.test(text),
        serverAction: /^'use server';/m.test(text),
        client: /^'use client';/m.test(text),
      };
      cache.set(candidate, info);
    }
    return info;
  }
  return null;
}

const isBrowserSafe = (path) => BROWSER_SAFE.some((pattern) => pattern.test(path));
const directive = (program, name) =>
  program.body.some((node) => node.type === 'ExpressionStatement' && node.directive === name);
const valueImport = (node) =>
  node.importKind !== 'type' && !(node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));

const browserImports = {
  meta: {
    type: 'problem',
    docs: { description: 'The browser imports only browser-safe modules (eslint-rules/admitone.mjs BROWSER_SAFE).' },
    schema: [],
  },
  create(context) {
    const file = relative(root, context.filename);
    let checked = false;
    return {
      Program(program) {
        // Tests beside the code are never shipped.
        checked = !/\.test\.tsx?$/.test(file) && (directive(program, 'use client') || isBrowserSafe(file));
      },
      ImportDeclaration(node) {
        if (!checked || !valueImport(node)) return;
        const source = node.source.value;
        if (source === 'server-only')
          return context.report({ node, message: `${file} is browser-safe and must not import 'server-only'.` });
        const info = target(source, context.filename);
        if (!info || !/^(lib|db)\//.test(info.path) || info.serverAction) return;
        if (info.serverOnly || !isBrowserSafe(info.path)) {
          context.report({
            node,
            message: `${info.path} is not browser-safe: the browser may import only the modules listed in eslint-rules/admitone.mjs (BROWSER_SAFE), and server actions.`,
          });
        }
      },
    };
  },
};

const serverOnlyMarker = {
  meta: {
    type: 'problem',
    docs: {
      description:
        "A module under lib/ that imports the database, Redis, Stripe, auth or request headers says `import 'server-only'`.",
    },
    schema: [],
  },
  create(context) {
    let marked = false;
    let exempt = false;
    const offenders = [];
    return {
      Program(program) {
        exempt = directive(program, 'use server');
        marked = program.body.some((node) => node.type === 'ImportDeclaration' && node.source.value === 'server-only');
      },
      ImportDeclaration(node) {
        if (valueImport(node) && SERVER_PACKAGES.test(node.source.value)) offenders.push(node);
      },
      'Program:exit'() {
        if (marked || exempt || offenders.length === 0) return;
        context.report({
          node: offenders[0],
          message: `This module imports ${offenders[0].source.value}, so it runs only on the server: start it with \`import 'server-only';\`.`,
        });
      },
    };
  },
};

const plugin = { rules: { 'browser-imports': browserImports, 'server-only-marker': serverOnlyMarker } };
export default plugin;
