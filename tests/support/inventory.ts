import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '@/db/client';
import { rows } from '@/db/sql';
import type { Coordinator } from '@/lib/coordination';
import { CircuitBreaker } from '@/lib/coordination/breaker';
import { forgetAvailability, forgetSaleRules, type InventoryDeps } from '@/lib/inventory';

/** A clock tests move by hand. */
export function fakeClock(start = new Date()) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    ms: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

export function testDeps(
  handle: DatabaseHandle,
  coordinator: Coordinator,
  now: () => Date = () => new Date(),
  breaker?: CircuitBreaker,
): InventoryDeps {
  forgetSaleRules();
  forgetAvailability();
  return {
    db: handle.db,
    seats: coordinator.seats,
    now,
    breaker: breaker ?? new CircuitBreaker({ timeoutMs: 1_000, failureThreshold: 3, resetAfterMs: 200 }),
  };
}

export async function seatIdsOf(handle: DatabaseHandle, eventId: string): Promise<number[]> {
  const found = await rows<{ id: number | string }>(
    handle.db,
    sql`select id from event_seats where event_id = ${eventId} order by idx`,
  );
  return found.map((r) => Number(r.id));
}

export async function statusCounts(handle: DatabaseHandle, eventId: string) {
  const [c] = await rows<{ available: number; held: number; sold: number; blocked: number }>(
    handle.db,
    sql`select count(*) filter (where status = 'available')::int as available, count(*) filter (where status = 'held')::int as held,
               count(*) filter (where status = 'sold')::int as sold, count(*) filter (where status = 'blocked')::int as blocked
        from event_seats where event_id = ${eventId}`,
  );
  return c!;
}

/** Settles every promise and sorts the outcomes by error code ('granted' for successes). */
export async function tally<T>(
  attempts: Promise<T>[],
): Promise<{ granted: T[]; codes: Record<string, number>; unexpected: unknown[] }> {
  const settled = await Promise.allSettled(attempts);
  const granted: T[] = [];
  const codes: Record<string, number> = {};
  const unexpected: unknown[] = [];
  for (const s of settled) {
    if (s.status === 'fulfilled') granted.push(s.value);
    else {
      const code = (s.reason as { code?: string }).code;
      if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) codes[code] = (codes[code] ?? 0) + 1;
      else unexpected.push(s.reason);
    }
  }
  return { granted, codes, unexpected };
}
