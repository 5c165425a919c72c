import { afterEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@/db/sql';
import { shedder } from '@/lib/http/load-shedder';
import { env } from '@/lib/env';
import { useTestDatabase } from '../support/database';
import { signUp } from '../support/http';

// The action reads its request's headers through next/headers; here they are the signed-in buyer's.
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock('next/headers', () => ({ headers: async () => request.headers }));

const { payAction } = await import('@/app/checkout/[holdId]/actions');

describe("the checkout page's payment action under load", () => {
  const { handle } = useTestDatabase();
  let releaseAll: (() => void) | undefined;
  afterEach(() => releaseAll?.());

  it('is shed like POST /api/checkout when the pool is full, charging and storing nothing, and runs again afterwards', async () => {
    const buyer = await signUp();
    request.headers = new Headers({ cookie: buyer.cookie, 'x-forwarded-for': '203.0.113.77' });
    // Fill the process's checkout pool (the route's and the action's) with work that waits.
    const e = env();
    const pool = shedder('checkout.create', () => ({
      maxInFlight: e.SHED_MAX_IN_FLIGHT,
      maxWaiting: e.SHED_MAX_WAITING,
      maxWaitMs: e.SHED_MAX_WAIT_MS,
    }));
    const gate = new Promise<void>((resolve) => (releaseAll = resolve));
    const blockers = Array.from({ length: e.SHED_MAX_IN_FLIGHT + e.SHED_MAX_WAITING }, () =>
      pool.run(() => gate).catch(() => undefined),
    );
    await vi.waitFor(() => expect(pool.running + pool.queued).toBe(e.SHED_MAX_IN_FLIGHT + e.SHED_MAX_WAITING));

    const holdId = crypto.randomUUID();
    const shed = await payAction(holdId, 'pm_card_visa', crypto.randomUUID());
    expect(shed).toMatchObject({ ok: false, problem: { code: 'SERVICE_UNAVAILABLE', status: 503, retryAfter: 1 } });
    const [stored] = await rows<{ n: number }>(
      handle().db,
      sql`select (select count(*) from orders)::int + (select count(*) from idempotency_keys)::int as n`,
    );
    expect(stored!.n).toBe(0);

    // Once the pool has room, the same call runs (and finds no such hold).
    releaseAll!();
    await Promise.all(blockers);
    expect(await payAction(holdId, 'pm_card_visa', crypto.randomUUID())).toMatchObject({
      ok: false,
      problem: { code: 'NOT_FOUND' },
    });
  });
});
