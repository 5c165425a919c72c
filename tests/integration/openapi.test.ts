import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { GET as openApiRoute } from '@/app/api/openapi.json/route';
import { HOT_ROUTES } from '@/lib/http/hot-routes';
import { openApiDocument } from '@/lib/openapi/document';
import { call } from '../support/http';
import { responseChecker, routeFileTemplate } from '../support/openapi-check';

/**
 * Issue 17, item 7: the OpenAPI document describes every route on disk, nothing that is not there, and is a valid
 * OpenAPI 3.1 document. (That real answers match it is checked by every `call()` of the integration suite.)
 */

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Every app/api route file with the HTTP methods it exports and its path template (`[id]` → `{id}`). */
function routesOnDisk(): { file: string; template: string; methods: string[] }[] {
  return (readdirSync('app/api', { recursive: true }) as string[])
    .filter((file) => file.endsWith('route.ts'))
    .map((file) => {
      const source = readFileSync(join('app/api', file), 'utf8');
      const methods = METHODS.filter((m) => new RegExp(`export (const|async function|function) ${m}\\b`).test(source));
      return { file: `app/api/${file}`, template: routeFileTemplate(`app/api/${file}`), methods };
    });
}

/** A catch-all folder (`[...all]`) covers every documented path under it. */
const covers = (template: string, path: string) => {
  const catchAll = template.indexOf('/[...');
  return catchAll < 0 ? template === path : path.startsWith(`${template.slice(0, catchAll)}/`);
};

const documented = () =>
  Object.entries(openApiDocument().paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m.toLowerCase() as 'get']).map((method) => ({ path, method })),
  );

describe('the OpenAPI document', () => {
  it('describes every method of every route file under app/api', () => {
    const routes = routesOnDisk();
    expect(routes.length).toBeGreaterThanOrEqual(46);
    const operations = documented();
    const missing = routes.flatMap(({ file, template, methods }) =>
      methods
        .filter((method) => !operations.some((op) => op.method === method && covers(template, op.path)))
        .map((method) => `${method} ${template} (${file})`),
    );
    expect(missing).toEqual([]);
  });

  it('describes nothing that no route file serves', () => {
    const routes = routesOnDisk();
    const extra = documented().filter(
      (op) => !routes.some((r) => r.methods.includes(op.method) && covers(r.template, op.path)),
    );
    expect(extra).toEqual([]);
  });

  it('marks every hot route, which the production server serves before Next', () => {
    const doc = openApiDocument();
    // The benchmark's no-op route is no part of the product (only builds for benchmarks have it): not described.
    for (const hot of HOT_ROUTES.filter((r) => !r.bench)) {
      const operation = doc.paths?.[hot.path.replace(/:(\w+)/g, '{$1}')]?.[hot.method.toLowerCase() as 'get'];
      expect(operation, `${hot.method} ${hot.path}`).toBeDefined();
      expect(operation?.['x-hot-route' as keyof typeof operation]).toBe(hot.name);
    }
  });

  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(openApiDocument())) as Record<string, unknown>);
    expect(validator.version).toBe('3.1');
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every refusal as problem+json with its codes, and every operation’s 500', () => {
    for (const { path, method } of documented()) {
      const responses = openApiDocument().paths![path]![method.toLowerCase() as 'get']!.responses as Record<
        string,
        { content?: Record<string, unknown> }
      >;
      expect(Object.keys(responses), `${method} ${path}`).toContain('500');
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400 && !path.startsWith('/api/auth/'))
          expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).toEqual([
            'application/problem+json',
          ]);
      }
    }
  });

  it('refuses, through the checker every call() uses, what it does not say', () => {
    const check = responseChecker(openApiDocument());
    const hold = {
      method: 'DELETE',
      path: '/api/holds/7b0c4f7e-0000-4000-8000-000000000000',
      contentType: 'application/json',
    };
    expect(check({ ...hold, status: 200, body: { released: 2 } })).toEqual([]);
    expect(check({ ...hold, status: 200, body: { released: '2' } })).toEqual([
      expect.stringContaining('released must be integer'),
    ]);
    expect(check({ ...hold, status: 200, body: { released: 2, extra: true } })).toEqual([
      expect.stringContaining('must NOT have additional properties'),
    ]);
    expect(check({ ...hold, status: 402, body: {} })).toEqual([
      expect.stringContaining('status 402 is not documented'),
    ]);
    const problem = {
      type: '/problems/conflict',
      title: 'The request conflicts with the current state',
      status: 409,
      detail: 'x',
      code: 'CONFLICT',
    };
    expect(check({ ...hold, status: 409, contentType: 'application/problem+json', body: problem })).toEqual([
      expect.stringContaining('status 409 is not documented'),
    ]);
    expect(check({ ...hold, path: '/api/nowhere', status: 200, body: {} })).toEqual([
      expect.stringContaining('not in the OpenAPI document'),
    ]);
  });

  it('is served at /api/openapi.json', async () => {
    const served = await call(openApiRoute, { url: '/api/openapi.json' });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/json');
    expect(served.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });
});
