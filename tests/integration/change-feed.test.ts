import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import {
  fromSnapshot,
  mergeAvailability,
  STATUS_OF_CODE,
  type AvailabilityState,
} from '@/components/seat-map/availability';
import type { AvailabilityResponse } from '@/lib/contracts/inventory';
import { getAvailability } from '@/lib/inventory';
import { recordChange } from '@/lib/inventory/change-feed';
import { blockSeats, unblockSeats } from '@/lib/inventory/sell-seats';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent } from '../support/fixtures';
import { testDeps } from '../support/inventory';
import { MemoryCoordinator } from '@/lib/coordination/memory';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The seats' statuses in PostgreSQL, by layout position. */
async function databaseStatuses(db: Database, eventId: string): Promise<string[]> {
  const found = await rows<{ status: string }>(
    db,
    sql`select status from event_seats where event_id = ${eventId} order by idx`,
  );
  return found.map((r) => r.status);
}

/** A browser's view: the seat map's own merge (components/seat-map/availability.ts) over what the server answers. */
function client(first: AvailabilityResponse) {
  if (first.kind !== 'snapshot') throw new Error('expected a snapshot');
  let state: AvailabilityState = fromSnapshot(first, first.statuses.length);
  return {
    get version() {
      return state.version;
    },
    apply(answer: AvailabilityResponse) {
      const merged = mergeAvailability(state, answer);
      if (merged.gap)
        throw new Error(
          `gap: the answer starts at ${answer.kind === 'delta' ? answer.from : '?'}, the client is at ${state.version}`,
        );
      state = merged.state;
    },
    statuses: () => [...state.codes].map((c) => STATUS_OF_CODE[c]!),
  };
}

describe('the availability change feed (no per-event version row)', () => {
  const { handle } = useTestDatabase({ maxConnections: 20 });

  it('holds back a fast writer’s change while a slower one that started first is still running, then delivers both', async () => {
    const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 4 });
    const db = handle().db;
    testDeps(handle(), new MemoryCoordinator());
    const reader = client(await getAvailability(db, event.id, { fresh: true }));
    const [a, b] = (
      await rows<{ id: number | string }>(
        db,
        sql`select id from event_seats where event_id = ${event.id} order by idx limit 2`,
      )
    ).map((r) => Number(r.id));

    // The slow writer changes seat A and writes its feed row, then stays open; the fast one changes seat B and commits.
    let finishSlow!: () => void;
    const slowMayCommit = new Promise<void>((resolve) => (finishSlow = resolve));
    let slowWrote!: () => void;
    const slowHasWritten = new Promise<void>((resolve) => (slowWrote = resolve));
    const slow = db.transaction(async (tx) => {
      await blockSeats(tx, { eventId: event.id, seatIds: [a!] });
      slowWrote();
      await slowMayCommit;
    });
    await slowHasWritten;
    await db.transaction((tx) => blockSeats(tx, { eventId: event.id, seatIds: [b!] }).then(() => undefined));

    // B is committed, but a transaction that began before it is still open: the watermark stays below both, and a
    // reader that took B now (as "everything after the last row I saw") would never see A.
    reader.apply(await getAvailability(db, event.id, { since: reader.version, fresh: true }));
    expect(reader.statuses().slice(0, 2)).toEqual(['available', 'available']);

    finishSlow();
    await slow;
    // The watermark is the whole cluster's oldest running transaction: other tests' may hold it a moment longer.
    await expect
      .poll(
        async () => {
          reader.apply(await getAvailability(db, event.id, { since: reader.version, fresh: true }));
          return reader.statuses().slice(0, 2);
        },
        { timeout: 15_000 },
      )
      .toEqual(['blocked', 'blocked']);
    expect(reader.statuses()).toEqual(await databaseStatuses(db, event.id));
  });

  it('never lets a reader skip or reorder a change while slow and fast writers interleave on the same seats', async () => {
    const { event } = await createOnSaleEvent(handle().db, { rows: 2, seatsPerRow: 6 });
    const db = handle().db;
    testDeps(handle(), new MemoryCoordinator());
    const seatIds = (
      await rows<{ id: number | string }>(db, sql`select id from event_seats where event_id = ${event.id} order by idx`)
    ).map((r) => Number(r.id));
    const readers = [client(await getAvailability(db, event.id, { fresh: true }))];
    let seed = 7;
    const random = () => ((seed = Math.imul(seed ^ (seed >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32;

    // Each writer toggles a few seats between available and blocked in one transaction, then waits a random while
    // before committing (its feed row is written, its transaction id is taken); others overlap it on the same seats.
    let writing = true;
    const writer = async (id: number) => {
      for (let n = 0; n < 12; n++) {
        const picked = [
          ...new Set(
            Array.from({ length: 1 + Math.floor(random() * 3) }, () => seatIds[Math.floor(random() * seatIds.length)]!),
          ),
        ].sort((x, y) => x - y);
        await db.transaction(async (tx) => {
          // Locked in id order, as the app's writers do.
          const moved = await rows<{ idx: number; rev: number; status: string }>(
            tx,
            sql`with locked as (select id from event_seats where id = any(${`{${picked.join(',')}}`}::bigint[]) order by id for update)
                update event_seats s set rev = s.rev + 1, status = case when s.status = 'available' then 'blocked' else 'available' end
                from locked where s.id = locked.id and s.status in ('available', 'blocked') returning s.idx, s.rev, s.status`,
          );
          for (const status of ['available', 'blocked'] as const)
            await recordChange(tx, { eventId: event.id, status, seats: moved.filter((m) => m.status === status) });
          await sleep(random() < 0.3 ? 40 + random() * 60 : random() * 5);
        });
        await sleep(random() * 5 + id);
      }
    };
    // Readers poll like browsers (one joins late, from a snapshot), each applying what it is told.
    const reading = (async () => {
      let rounds = 0;
      while (writing) {
        for (const reader of readers)
          reader.apply(await getAvailability(db, event.id, { since: reader.version, fresh: rounds % 2 === 0 }));
        if (++rounds === 10) readers.push(client(await getAvailability(db, event.id, { fresh: true })));
        await sleep(random() * 8);
      }
    })();
    await Promise.all(Array.from({ length: 6 }, (_, i) => writer(i)));
    writing = false;
    await reading;
    const truth = await databaseStatuses(db, event.id);
    // Every change arrives once every older transaction of the cluster has ended (other tests' too).
    for (const reader of readers) {
      await expect
        .poll(
          async () => {
            reader.apply(await getAvailability(db, event.id, { since: reader.version, fresh: true }));
            return reader.statuses();
          },
          { timeout: 15_000 },
        )
        .toEqual(truth);
    }
    expect(readers).toHaveLength(2);
    expect(truth.some((s) => s === 'blocked')).toBe(true);
  });

  it('writes no row shared by every writer of an event', async () => {
    const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 4 });
    const db = handle().db;
    const [a, b] = (
      await rows<{ id: number | string }>(
        db,
        sql`select id from event_seats where event_id = ${event.id} order by idx limit 2`,
      )
    ).map((r) => Number(r.id));
    // Two transactions change two seats of the same event at the same time; neither waits for the other.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = db.transaction(async (tx) => {
      await blockSeats(tx, { eventId: event.id, seatIds: [a!] });
      await held;
    });
    const started = Date.now();
    await db.transaction(async (tx) => {
      await blockSeats(tx, { eventId: event.id, seatIds: [b!] });
      await unblockSeats(tx, { eventId: event.id, seatIds: [b!] });
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    release();
    await first;
  });
});
