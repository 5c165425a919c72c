import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { NextRequest } from 'next/server';

const root = resolve(__dirname, '../..');
const apiDir = resolve(root, 'app/api');

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type Handler = (
  request: NextRequest,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

/** One route.ts under app/api: its URL pattern (`/api/holds/[id]`), dynamic segments, and exported method handlers. */
export type ApiRoute = {
  pattern: string;
  file: string;
  segments: { name: string; catchAll: boolean }[];
  handlers: Partial<Record<HttpMethod, Handler>>;
};

function findRouteFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...findRouteFiles(path));
    else if (/^route\.(bench\.ts|ts|tsx|js)$/.test(entry)) found.push(path);
  }
  return found;
}

/**
 * Every route handler file under app/api, found on disk (a route added tomorrow is picked up without editing any
 * list), with its module imported the way Next would load it.
 */
export async function discoverRoutes(): Promise<ApiRoute[]> {
  const files = findRouteFiles(apiDir).sort();
  const routes: ApiRoute[] = [];
  for (const file of files) {
    const dir = relative(root, file).split(sep).slice(0, -1);
    const pattern = `/${dir.slice(1).join('/')}`;
    const segments = dir
      .map((part) => /^\[(\.\.\.)?(\w+)\]$/.exec(part))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ name: m[2]!, catchAll: Boolean(m[1]) }));
    const mod = (await import(file)) as Record<string, unknown>;
    const handlers: ApiRoute['handlers'] = {};
    for (const method of HTTP_METHODS) if (typeof mod[method] === 'function') handlers[method] = mod[method] as Handler;
    routes.push({ pattern, file: relative(root, file), segments, handlers });
  }
  return routes;
}

/** Fills the pattern's dynamic segments: `/api/holds/[id]` with { id: 'x' } -> `/api/holds/x` (URL-encoded). */
export function concretePath(route: ApiRoute, params: Record<string, string | string[]>): string {
  let path = route.pattern;
  for (const { name, catchAll } of route.segments) {
    const value = params[name] ?? '';
    const text = Array.isArray(value) ? value.map(encodeSegment).join('/') : encodeSegment(value);
    path = path.replace(catchAll ? `[...${name}]` : `[${name}]`, text);
  }
  return path;
}

/** encodeURIComponent throws on a lone surrogate; in the URL it becomes U+FFFD (the handler still gets it raw). */
const encodeSegment = (value: string) =>
  encodeURIComponent(
    value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );

/** Does `pattern` match a glob of the expectation tables (`*` one segment, `**` any rest)? */
export function patternMatches(glob: string, pattern: string): boolean {
  const re = new RegExp(
    `^${glob
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*/g, '\u0000')
      .replace(/\*/g, '[^/]+')
      .replace(/\u0000/g, '.*')}$`,
  );
  return re.test(pattern);
}

/** Every page under app/ as a URL pattern (`/events/[id]/queue`; route groups such as `(search)` vanish). */
export function discoverPages(): string[] {
  const pages: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        if (entry !== 'api') walk(path);
      } else if (/^page\.(tsx|ts|jsx|js)$/.test(entry)) {
        const segments = relative(resolve(root, 'app'), dir)
          .split(sep)
          .filter((s) => s && !/^\(.*\)$/.test(s));
        pages.push(`/${segments.join('/')}`);
      }
    }
  };
  walk(resolve(root, 'app'));
  return pages.sort();
}
