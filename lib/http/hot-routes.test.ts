import { readFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOT_ROUTES, hotRouteMatcher, shopRoutePatterns } from '@/lib/http/hot-routes';

const root = resolve(__dirname, '../..');

describe('the hot route table', () => {
  const match = hotRouteMatcher();

  it('matches each hot route by method and path, with its parameters, and nothing else', () => {
    expect(match('POST', '/api/events/0b7a3f7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b/holds')).toMatchObject({
      route: { name: 'holds.create' },
      params: { id: '0b7a3f7e-1c2d-4e5f-8a9b-0c1d2e3f4a5b' },
    });
    expect(match('GET', '/api/events/e1/queue')?.route.name).toBe('queue.status');
    expect(match('POST', '/api/events/e1/queue')?.route.name).toBe('queue.join');
    expect(match('DELETE', '/api/holds/h1')).toMatchObject({ route: { name: 'holds.release' }, params: { id: 'h1' } });
    expect(match('POST', '/api/checkout')?.route.name).toBe('checkout.create');
    // Next answers the rest: other methods, sub-paths, trailing slashes, empty or undecodable segments.
    for (const [method, path] of [
      ['GET', '/api/events/e1/holds'],
      ['HEAD', '/api/events/e1/availability'],
      ['GET', '/api/events/e1/queue/draw'],
      ['POST', '/api/checkout/'],
      ['POST', '/api/events//holds'],
      ['GET', '/api/events/%E0%A4%A/availability'],
      ['GET', '/api/events/e1'],
      ['GET', 'api/bench/noop'],
    ] as const) {
      expect(match(method, path), `${method} ${path}`).toBeNull();
    }
  });

  it('names handlers that exist: each module exports the method', () => {
    for (const route of HOT_ROUTES) {
      const file = resolve(root, route.module);
      expect(existsSync(file), route.module).toBe(true);
      expect(readFileSync(file, 'utf8'), `${route.module} exports ${route.method}`).toMatch(
        new RegExp(`export const ${route.method}\\b`),
      );
    }
  });

  it('is what deploy/nginx.conf limits: exactly the routes shed as shopping', () => {
    const conf = readFileSync(resolve(root, 'deploy/nginx.conf'), 'utf8');
    const limited = [...conf.matchAll(/location ~ (\S+) \{\s*limit_conn/g)].map((m) => m[1]);
    expect(limited.sort()).toEqual(shopRoutePatterns().sort());
  });
});
