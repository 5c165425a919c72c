import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '@/db/client';
import type { Coordinator } from '@/lib/coordination';
import { parseEnv } from '@/lib/env';
import { getLayoutFor, holdSeats } from '@/lib/inventory';
import { admittedCookie } from '../support/admission';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { seatIdsOf, testDeps } from '../support/inventory';
import { sessionCookies } from '../support/sessions';

/**
 * A hold is one SQL statement (hold_seats) and one coordinator round trip that decides (the seat claim, which also
 * checks the admission's early end and the hold budgets), plus the claims' extension, not awaited. holdSeats reads
 * the sale rules and the admission token itself; with the rules cached that adds nothing. Counted from the driver's
 * log and from every coordinator method called.
 */
describe.skipIf(!process.env.DATABASE_URL)('a hold and a layout, counted', () => {
  const { handle, url } = useTestDatabase();
  const { coordinator } = useTestCoordinator();
  let counted: DatabaseHandle | undefined;
  afterAll(async () => counted?.close());

  it('takes one statement and one deciding coordinator call', async () => {
    const statements: string[] = [];
    counted = await openDatabase(parseEnv({ DATABASE_URL: url() }), {
      maxConnections: 2,
      logQuery: (q) => statements.push(q),
    });
    const calls: string[] = [];
    const inner = coordinator().seats;
    // Every method of the seat filter (the port a hold uses) is counted.
    const recording = new Proxy(inner, {
      get: (target, name, receiver) => {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const deps = { ...testDeps(handle(), { ...coordinator(), seats: recording } as Coordinator), db: counted.db };
    const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 6 });
    const seats = await seatIdsOf(handle(), event.id);
    const buyer = await createUser(handle().db);
    const [session] = await sessionCookies(handle().db, [buyer.id]);
    const cookieHeader = await admittedCookie(session!, event.id, buyer.id);
    const request = (seatIds: number[]) =>
      holdSeats(deps, buyer, { eventId: event.id, seatIds, cookieHeader, ip: '203.0.113.9' });
    // The first hold of a process loads the event's rules and seat ids once; they stay cached for seconds.
    await request([seats[0]!]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    statements.length = 0;
    calls.length = 0;

    const hold = await request([seats[1]!, seats[2]!]);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the claims' extension runs after the answer

    expect(hold.seatIds).toEqual([seats[1], seats[2]]);
    expect(statements, statements.join('\n')).toHaveLength(1);
    expect(statements[0]).toContain('hold_seats');
    expect(calls).toEqual(['claim', 'extend']);
  });

  it('serves the seat layout from memory: no statement per request, hidden tiers or not', async () => {
    const statements: string[] = [];
    const logged = await openDatabase(parseEnv({ DATABASE_URL: url() }), {
      maxConnections: 2,
      logQuery: (q) => statements.push(q),
    });
    try {
      const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 6 });
      // The first request of a process builds the layout and loads the sale rules (which tiers are hidden) once.
      const first = await getLayoutFor(logged.db, logged.db, event.id);
      expect(statements.length).toBeGreaterThan(0);
      statements.length = 0;
      const again = await getLayoutFor(logged.db, logged.db, event.id);
      expect(again.etag).toBe(first.etag);
      expect(statements, statements.join('\n')).toHaveLength(0);
    } finally {
      await logged.close();
    }
  });
});
