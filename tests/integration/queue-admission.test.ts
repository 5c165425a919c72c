import { describe, expect, it } from 'vitest';
import { endShoppingWindow } from '@/lib/queue/end-shopping-window';
import { getQueueStatus } from '@/lib/queue/get-queue-status';
import { joinQueue } from '@/lib/queue/join-queue';
import { runQueueTick } from '@/lib/queue/run-queue-tick';
import { visitorId } from '@/lib/queue/visitor-id';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent } from '../support/fixtures';
import { recordingQueueStore } from '../support/recording-coordinator';

describe('waiting room admission (in-process, or real Redis with REDIS_URL)', () => {
  const { handle } = useTestDatabase();
  const { coordinator } = useTestCoordinator();

  it('admits 5,000 concurrent arrivals in exactly their arrival order: none twice, none lost, never above capacity', async () => {
    const db = handle().db;
    const capacity = 50;
    const { event } = await createOnSaleEvent(db, {
      event: { queueCapacity: capacity, admissionRatePerMinute: 6_000, shoppingWindowMinutes: 15 },
    });
    const rec = recordingQueueStore(coordinator().queue);
    let t = Date.now();
    // Generous timeouts: 5,000 scripts in flight at once take longer than one request's budget.
    const deps = () => ({ db, queue: rec.queue, leases: coordinator().leases, now: new Date(t), timeoutMs: 60_000 });

    const accounts = Array.from({ length: 5_000 }, () => crypto.randomUUID());
    const accountOf = new Map(accounts.map((a) => [visitorId(event.id, a), a]));
    const joined = await Promise.all(
      accounts.map((accountId) => joinQueue(deps(), { eventId: event.id, accountId, cookieHeader: null })),
    );

    expect(joined.filter((a) => a.status.state === 'admitted')).toHaveLength(capacity);
    expect(joined.filter((a) => a.status.state === 'waiting')).toHaveLength(5_000 - capacity);
    expect(new Set(rec.arrivals.values()).size).toBe(5_000);
    expect(Math.max(...rec.arrivals.values())).toBe(5_000);

    // Joining again keeps the place.
    const waiter = joined.findIndex((a) => a.status.position === 4_000);
    const again = await joinQueue(deps(), { eventId: event.id, accountId: accounts[waiter]!, cookieHeader: null });
    expect(again.status).toMatchObject({ state: 'waiting', position: 4_000, ticket: joined[waiter]!.status.ticket });

    // Shoppers finish (checkout ends their windows) while time passes and the scheduler ticks, until everyone is in.
    const ended = new Set<string>();
    for (let round = 0; rec.admissions.size < 5_000 && round < 500; round++) {
      t += 1_000;
      const shopping = [...rec.admissions.values()].filter((v) => !ended.has(v));
      await Promise.all(
        shopping.map(async (v) => {
          ended.add(v);
          expect(await endShoppingWindow(event.id, accountOf.get(v)!, deps())).toBe(true);
        }),
      );
      await runQueueTick({ db, queue: rec.queue, leases: coordinator().leases, now: new Date(t) });
      expect(rec.state.maxActive).toBeLessThanOrEqual(capacity);
    }

    expect(rec.admissions.size).toBe(5_000);
    const byAdmission = [...rec.admissions.entries()].sort(([a], [b]) => a - b);
    expect(byAdmission.map(([n]) => n)).toEqual(Array.from({ length: 5_000 }, (_, i) => i + 1));
    // Admission number k went to the k-th arrival.
    expect(byAdmission.map(([, v]) => rec.arrivals.get(v))).toEqual(Array.from({ length: 5_000 }, (_, i) => i + 1));
    expect(rec.state.maxActive).toBe(capacity);

    // A visitor whose window ended is not in line any more; ending it again frees nothing.
    const last = accounts[0]!;
    expect(
      (await getQueueStatus(deps(), { eventId: event.id, accountId: last, cookieHeader: null })).status.state,
    ).toBe('none');
    expect(await endShoppingWindow(event.id, last, deps())).toBe(false);
  }, 240_000);

  it('admits at once while demand is below capacity: the queue is invisible', async () => {
    const db = handle().db;
    const { event } = await createOnSaleEvent(db);
    const deps = { db, queue: coordinator().queue, leases: coordinator().leases };
    const answer = await joinQueue(deps, { eventId: event.id, accountId: crypto.randomUUID(), cookieHeader: null });
    expect(answer.status.state).toBe('admitted');
    expect(answer.status.admission?.redirectTo).toBe(`/events/${event.id}/seats`);
    expect(Date.parse(answer.status.admission!.until) - Date.now()).toBeGreaterThan(14 * 60_000);
  });
});
