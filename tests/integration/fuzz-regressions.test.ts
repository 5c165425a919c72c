import { beforeAll, describe, expect, it } from 'vitest';
import { POST as cancelRoute } from '@/app/api/orders/[id]/cancel/route';
import { POST as transferRoute } from '@/app/api/tickets/[id]/transfer/route';
import { setPaymentProviderForTests } from '@/lib/checkout/get-payment-provider';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { call } from '../support/http';
import { buildWorld, changedTables, snapshotTables, type World } from '../fuzz/world';

/** Requests the fuzzer (tests/integration/fuzz-api.test.ts) once answered with a 500, kept as plain examples. */
describe('inputs the fuzzer found', () => {
  const { handle } = useTestDatabase({ reset: false });
  useTestCoordinator();
  let world: World;
  beforeAll(async () => {
    setPaymentProviderForTests(new SimulatedGateway({ delayMs: 50 }));
    world = await buildWorld(handle(), { others: 1 });
    setPaymentProviderForTests(undefined);
  });

  it('cancelling an order whose id is not a uuid is 404, not 500', async () => {
    const before = await snapshotTables(handle());
    for (const id of ['', 'sqUe7,ewbl', "' OR '1'='1", '\u0000']) {
      const res = await call(cancelRoute, { method: 'POST', params: { id }, cookie: world.owner.cookie });
      expect(res, `id ${JSON.stringify(id)}`).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    }
    expect(changedTables(before, await snapshotTables(handle()))).toEqual([]);
  });

  it('transferring a ticket whose id is not a uuid is 404, not 500', async () => {
    const before = await snapshotTables(handle());
    for (const id of ['', 'nope', '1; select 1']) {
      const res = await call(transferRoute, { method: 'POST', params: { id }, cookie: world.owner.cookie, body: { email: world.others[0]!.email } });
      expect(res, `id ${JSON.stringify(id)}`).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    }
    expect(changedTables(before, await snapshotTables(handle()))).toEqual([]);
  });
});
