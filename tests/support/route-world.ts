import { afterAll, beforeAll } from 'vitest';
import { setPaymentProviderForTests } from '@/lib/checkout/get-payment-provider';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { discoverRoutes, type ApiRoute, type HttpMethod } from '../fuzz/routes';
import { buildWorld, type World } from '../fuzz/world';
import { useTestCoordinator } from './coordinator';
import { useTestDatabase } from './database';

/**
 * For the suites that call every API route: the database and coordinator, a world of accounts and resources to call
 * the routes on (the fuzzer's, with `others` more accounts), the routes found on disk, and the simulated gateway.
 * `world` and `routes` are there once the suite's beforeAll has run.
 */
export function useRouteWorld(options: { others: number }) {
  const { handle } = useTestDatabase({ reset: false });
  useTestCoordinator();
  const built: { world?: World; routes: ApiRoute[] } = { routes: [] };
  beforeAll(async () => {
    setPaymentProviderForTests(new SimulatedGateway({ delayMs: 50 }));
    built.world = await buildWorld(handle(), options);
    built.routes = await discoverRoutes();
  });
  afterAll(() => setPaymentProviderForTests(undefined));
  return {
    handle,
    get world(): World {
      if (!built.world) throw new Error('the world is built in beforeAll');
      return built.world;
    },
    get routes() {
      return built.routes;
    },
    /** Every route and method, keyed "POST /api/...", for it.each. */
    methods: () =>
      built.routes.flatMap((route) =>
        (Object.keys(route.handlers) as HttpMethod[]).map((method) => ({
          route,
          method,
          key: `${method} ${route.pattern}`,
        })),
      ),
  };
}
