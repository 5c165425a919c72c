/// <reference types="vite/client" />
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { openApiDocument } from '@/lib/openapi/document';
import { responseChecker, routeFileTemplate } from './openapi-check';

/**
 * For the integration suite: which route a handler is, so `call()` can hold its answer against the OpenAPI
 * document. Each exported handler of a route module under app/api is mapped to the module's path template. The route
 * modules the running test file imports itself are looked at first (they are loaded already); the others, which cost
 * seconds to load, only for a handler found in none of those.
 */
const routeModules = import.meta.glob<Record<string, unknown>>('/app/api/**/route.ts');

const templates = new Map<unknown, string>();
const loaded = new Set<string>();
let check: ReturnType<typeof responseChecker> | undefined;

/** The route modules the running test file imports (`@/app/api/.../route`), then every other one. */
function candidates(): string[] {
  const testPath = expect.getState().testPath;
  const own = testPath
    ? [...readFileSync(testPath, 'utf8').matchAll(/'@(\/app\/api\/[^']+\/route)'/g)].map((m) => `${m[1]}.ts`)
    : [];
  return [...own.filter((file) => file in routeModules), ...Object.keys(routeModules)];
}

async function routeTemplate(handler: unknown): Promise<string | undefined> {
  for (const file of templates.has(handler) ? [] : candidates()) {
    if (loaded.has(file)) continue;
    loaded.add(file);
    for (const value of Object.values(await routeModules[file]!()))
      if (typeof value === 'function') templates.set(value, routeFileTemplate(file));
    if (templates.has(handler)) break;
  }
  return templates.get(handler);
}

/**
 * Throws when a route handler's answer is not what the document says: an undocumented operation or status, or a
 * body that does not match its schema. Handlers that are no route module's export (a test's own) are not checked.
 */
export async function expectDocumentedResponse(
  handler: unknown,
  request: Request,
  response: { status: number; body: unknown; contentType: string | null },
) {
  const template = await routeTemplate(handler);
  if (!template) return;
  const path = template.includes('[...') ? new URL(request.url).pathname.replace(/\/+$/, '') : template;
  check ??= responseChecker(openApiDocument());
  const problems = check({ method: request.method, path, ...response });
  if (problems.length)
    throw new Error(
      `The answer does not match the OpenAPI document (lib/openapi/):\n${problems.join('\n')}\nbody: ${JSON.stringify(response.body)?.slice(0, 500)}`,
    );
}
