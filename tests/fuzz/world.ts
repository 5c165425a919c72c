import { sql } from 'drizzle-orm';
import { NextRequest } from 'next/server';
import { POST as checkoutRoute } from '@/app/api/checkout/route';
import type { DatabaseHandle } from '@/db/client';
import { rows } from '@/db/sql';
import type { CheckoutResult } from '@/lib/contracts/checkout';
import { inventoryDeps, placeHold } from '@/lib/inventory';
import { admittedCookie } from '../support/admission';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { sessionCookies } from '../support/sessions';

export type Person = { id: string; email: string; cookie: string; admitted: string };

/**
 * What the fuzzer and the authorization sweep aim at: an event on sale, a customer who owns an active hold and a
 * paid order with tickets, other customers, an admin, and a draft event nobody but admins may see.
 */
export type World = {
  eventId: string;
  draftEventId: string;
  seatIds: number[];
  owner: Person;
  others: Person[];
  admin: Person;
  /** Accounts of their own for routes that may sign out or change an account (the auth library's). */
  spare: Person[];
  holdId: string;
  orderId: string;
  ticketIds: string[];
  /** Every id the world holds, for the fuzzer to try on every route (a hold id where an order id belongs, ...). */
  ids: string[];
};

async function person(
  handle: DatabaseHandle,
  eventId: string,
  role: 'customer' | 'admin' = 'customer',
): Promise<Person> {
  const { id, email } = await createUser(handle.db, { role });
  const [cookie] = await sessionCookies(handle.db, [id]);
  return { id, email, cookie: cookie!, admitted: await admittedCookie(cookie!, eventId, id, 60) };
}

/** The owner's resource a route pattern names: their hold, order or first ticket, or else the event. */
export function ownersResourceId(pattern: string, world: World): string {
  if (pattern.startsWith('/api/holds/')) return world.holdId;
  if (pattern.startsWith('/api/orders/')) return world.orderId;
  if (pattern.startsWith('/api/tickets/')) return world.ticketIds[0]!;
  return world.eventId;
}

export async function buildWorld(handle: DatabaseHandle, options: { others?: number } = {}): Promise<World> {
  const db = handle.db;
  const { event } = await createOnSaleEvent(db, { rows: 4, seatsPerRow: 10, priceMinor: 2500 });
  const draft = await createOnSaleEvent(db, { rows: 1, seatsPerRow: 4 });
  await db.execute(sql`update events set status = 'draft' where id = ${draft.event.id}`);
  const seatIds = (
    await rows<{ id: number | string }>(db, sql`select id from event_seats where event_id = ${event.id} order by idx`)
  ).map((r) => Number(r.id));

  const owner = await person(handle, event.id);
  const others = await Promise.all(Array.from({ length: options.others ?? 3 }, () => person(handle, event.id)));
  const admin = await person(handle, event.id, 'admin');
  const spare = await Promise.all([person(handle, event.id), person(handle, event.id)]);

  const deps = await inventoryDeps();
  const toBuy = await placeHold(deps, { eventId: event.id, userId: owner.id, seatIds: seatIds.slice(0, 2) });
  const response = await checkoutRoute(
    new NextRequest('http://localhost:3000/api/checkout', {
      method: 'POST',
      // An address of its own: per-IP budgets live in the shared Redis.
      headers: {
        cookie: owner.admitted,
        'content-type': 'application/json',
        'idempotency-key': crypto.randomUUID(),
        'x-forwarded-for': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`,
      },
      body: JSON.stringify({ holdId: toBuy.id, paymentMethodId: 'pm_card_visa' }),
    }),
    { params: Promise.resolve({}) },
  );
  if (response.status !== 201) throw new Error(`world: checkout answered ${response.status} ${await response.text()}`);
  const paid = (await response.json()) as CheckoutResult;
  // Paying ended the owner's shopping window; a fresh admission for what follows.
  owner.admitted = await admittedCookie(owner.cookie, event.id, owner.id, 60);
  const hold = await placeHold(deps, { eventId: event.id, userId: owner.id, seatIds: seatIds.slice(2, 4) });

  return {
    eventId: event.id,
    draftEventId: draft.event.id,
    seatIds,
    owner,
    others,
    admin,
    spare,
    holdId: hold.id,
    orderId: paid.orderId,
    ticketIds: paid.ticketIds,
    ids: [event.id, draft.event.id, hold.id, toBuy.id, paid.orderId, ...paid.ticketIds, owner.id, admin.id],
  };
}

/**
 * A fingerprint of every table: row count and a hash of the rows' text, in one round trip. Two equal snapshots
 * mean nothing was written (seats, holds, orders, payments, idempotency keys, audit log, sessions, ...).
 */
export async function snapshotTables(handle: DatabaseHandle): Promise<Record<string, string>> {
  const tables = (
    await rows<{ name: string }>(
      handle.db,
      sql`select tablename as name from pg_tables where schemaname = 'public' and tablename not like '\_\_%' order by 1`,
    )
  ).map((r) => r.name);
  const query = tables
    .map(
      (t) =>
        `select '${t}' as name, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as print from "${t}" x`,
    )
    .join(' union all ');
  const found = await rows<{ name: string; print: string }>(handle.db, sql.raw(query));
  return Object.fromEntries(found.map((r) => [r.name, r.print]));
}

/** Names the tables whose fingerprint differs. */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys({ ...before, ...after }).filter((t) => before[t] !== after[t]);
}
