/**
 * The simulated on-sale shared by `npm run bench:onsale` and the chaos scenarios: an event, its buyers (accounts and
 * signed sessions written straight to the database, as tests/support/sessions.ts does: better-auth's sign-up hashes
 * passwords, far too slow for thousands of buyers), and the buyers themselves, each one a small state machine that
 * goes through the public HTTP API like a browser would: join the waiting room, poll until admitted (the admission
 * cookie), hold 1-4 seats, then pay (pm_card_visa, one Idempotency-Key per attempt, reused on retries) or abandon
 * (release the hold and leave the line). 429 and 503 are retried after Retry-After, as the pages do.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rows } from '@/db/sql';
import { createOnSaleEvent, createUsers } from '../../tests/support/fixtures';
import { sessionCookies } from '../../tests/support/sessions';
import { HttpClient, mergeCookies, retryAfterMs, Stats, type Answer } from './http-client';

export type OnSaleConfig = {
  buyers: number;
  arrivalMs: number;
  seats: number;
  payRatio: number;
  /** Active shoppers the waiting room lets in at once, and its admission rate. */
  queueCapacity: number;
  admissionRatePerMinute: number;
  /** Pause of a buyer before holding and before paying (choosing seats, typing the card). */
  thinkMs: number;
  /** Buyers still busy after this are cut off (and counted). */
  maxMs: number;
  maxSockets: number;
  paymentMethodId: string;
  /** How long a buyer keeps retrying one step that the server asked to retry (or that lost its connection). */
  retryForMs: number;
  /** Accounts prepared beyond `buyers`, for scenario-specific shoppers. */
  extraBuyers: number;
};

const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);

/** Defaults: the full on-sale of the issue; ONSALE_* scale it down (e.g. ONSALE_BUYERS=2000). */
export function onSaleConfig(overrides: Partial<OnSaleConfig> = {}): OnSaleConfig {
  const buyers = num('ONSALE_BUYERS', overrides.buyers ?? 20_000);
  return {
    buyers,
    arrivalMs: num('ONSALE_ARRIVAL_SECONDS', (overrides.arrivalMs ?? 10_000) / 1000) * 1000,
    seats: num('ONSALE_SEATS', overrides.seats ?? 50_000),
    payRatio: num('ONSALE_PAY_RATIO', overrides.payRatio ?? 0.8),
    queueCapacity: num('ONSALE_ACTIVE', overrides.queueCapacity ?? 300),
    admissionRatePerMinute: num('ONSALE_ADMIT_PER_MINUTE', overrides.admissionRatePerMinute ?? 6_000),
    thinkMs: num('ONSALE_THINK_MS', overrides.thinkMs ?? 300),
    // The full on-sale took 16-22 minutes here (docs/bench.md); an hour leaves room for a slower machine.
    maxMs: num('ONSALE_MAX_SECONDS', (overrides.maxMs ?? 3_600_000) / 1000) * 1000,
    maxSockets: num('ONSALE_SOCKETS', overrides.maxSockets ?? 256),
    paymentMethodId: overrides.paymentMethodId ?? 'pm_card_visa',
    retryForMs: overrides.retryForMs ?? 120_000,
    extraBuyers: overrides.extraBuyers ?? 0,
  };
}

export type Prepared = { eventId: string; seatIds: number[]; buyers: { id: string; cookie: string }[] };

/** A published event of `seats` seats (sections of 40 rows x 25), on sale now, and `buyers` signed-in accounts. */
export async function prepareOnSale(db: Database, config: OnSaleConfig): Promise<Prepared> {
  const sections = Math.max(1, Math.ceil(config.seats / 1_000));
  const seatsPerRow = 25;
  const rowsPer = Math.max(1, Math.ceil(config.seats / sections / seatsPerRow));
  const { event } = await createOnSaleEvent(db, {
    sections,
    rows: rowsPer,
    seatsPerRow,
    event: {
      name: 'On-sale bench',
      perOrderLimit: 4,
      perAccountLimit: 8,
      holdMinutes: 8,
      queueCapacity: config.queueCapacity,
      admissionRatePerMinute: config.admissionRatePerMinute,
      onSaleAt: new Date(Date.now() - 60_000),
    },
  });
  const seatIds = (
    await rows<{ id: number | string }>(db, sql`select id from event_seats where event_id = ${event.id} order by idx`)
  ).map((r) => Number(r.id));
  const users = await createUsers(db, config.buyers + config.extraBuyers);
  const cookies = await sessionCookies(
    db,
    users.map((u) => u.id),
  );
  return { eventId: event.id, seatIds, buyers: users.map((u, i) => ({ id: u.id, cookie: cookies[i]! })) };
}

/**
 * Every buyer opens a page before the on-sale, as a browser does: better-auth answers with its signed session cache
 * cookie, so the sale measures the queue and the shop rather than first-time session lookups.
 */
export async function warmSessions(url: string, prepared: Prepared, concurrency = 32): Promise<number> {
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < prepared.buyers.length) {
        const buyer = prepared.buyers[next++]!;
        const res = await fetch(`${url}/api/auth/get-session`, { headers: { cookie: buyer.cookie } });
        buyer.cookie = mergeCookies(buyer.cookie, { 'set-cookie': res.headers.getSetCookie() });
        await res.arrayBuffer();
      }
    }),
  );
  return (Date.now() - started) / 1000;
}

/** Seats the buyers believe free (as their seat maps show it): picked at random, dropped when taken. */
class SeatPool {
  private readonly free: number[];
  private readonly at = new Map<number, number>();
  constructor(seatIds: number[]) {
    this.free = [...seatIds];
    this.free.forEach((s, i) => this.at.set(s, i));
  }
  get size(): number {
    return this.free.length;
  }
  pick(n: number, random: () => number): number[] {
    const picked = new Set<number>();
    const want = Math.min(n, this.free.length);
    while (picked.size < want) picked.add(this.free[Math.floor(random() * this.free.length)]!);
    return [...picked];
  }
  take(seats: number[]): void {
    for (const s of seats) {
      const i = this.at.get(s);
      if (i === undefined) continue;
      const last = this.free.pop()!;
      this.at.delete(s);
      if (last !== s) {
        this.free[i] = last;
        this.at.set(last, i);
      }
    }
  }
  give(seats: number[]): void {
    for (const s of seats) {
      if (this.at.has(s)) continue;
      this.at.set(s, this.free.length);
      this.free.push(s);
    }
  }
}

export type SaleRecord = {
  /** Holds the client saw succeed (201). */
  holds: { id: string; buyer: string; seatIds: number[] }[];
  /** Orders the client saw paid (201), with the key it used. */
  orders: { orderId: string; holdId: string; buyer: string; key: string; ticketIds: string[]; seats: number }[];
  released: number;
  buyersDone: number;
  gaveUp: Record<string, number>;
  cutOff: number;
  /** ms since the start: when each answer came (for recovery times). */
  timeline: { t: number; kind: string; status: number; retryAfter: boolean }[];
  /** Latencies of the answers that did the work (2xx), per kind: shed 503s are fast and would hide them. */
  served: Stats;
  startedAt: number;
  lastPaidAt: number;
  seconds: number;
};

export type OnSaleHooks = {
  /** Called every 250 ms with the ms since the start and the record so far (fault injection). */
  tick?: (elapsedMs: number, record: SaleRecord) => void | Promise<void>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the on-sale against the app at `client`; resolves when every buyer has finished or was cut off. */
export async function runOnSale(
  client: HttpClient,
  prepared: Prepared,
  config: OnSaleConfig,
  hooks: OnSaleHooks = {},
): Promise<SaleRecord> {
  const { eventId } = prepared;
  const pool = new SeatPool(prepared.seatIds);
  let seed = 20_251_122;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const record: SaleRecord = {
    holds: [],
    orders: [],
    released: 0,
    buyersDone: 0,
    gaveUp: {},
    cutOff: 0,
    timeline: [],
    served: new Stats(),
    startedAt: Date.now(),
    lastPaidAt: 0,
    seconds: 0,
  };
  const deadline = record.startedAt + config.maxMs;
  const giveUp = (why: string) => (record.gaveUp[why] = (record.gaveUp[why] ?? 0) + 1);

  const call = async (
    kind: string,
    method: string,
    path: string,
    buyer: { cookie: string; ip: string },
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> => {
    const answer = await client.request(kind, method, path, {
      body: options.body,
      headers: { cookie: buyer.cookie, 'x-forwarded-for': buyer.ip, ...options.headers },
    });
    record.timeline.push({
      t: Date.now() - record.startedAt,
      kind,
      status: answer.status,
      retryAfter: answer.headers['retry-after'] !== undefined,
    });
    if (answer.status >= 200 && answer.status < 300)
      record.served.record(kind, answer.status, answer.ms, answer.totalMs);
    buyer.cookie = mergeCookies(buyer.cookie, answer.headers);
    return answer;
  };
  /**
   * Retries what the server asks to retry (429/503 with Retry-After, 409 "the first request with this key is still
   * running") and lost connections, for at most `config.retryForMs`.
   */
  const persist = async (attempt: () => Promise<Answer>): Promise<Answer> => {
    const until = Math.min(deadline, Date.now() + config.retryForMs);
    let answer = await attempt();
    while (Date.now() < until) {
      const inProgress =
        answer.status === 409 && (answer.body as { code?: string }).code === 'IDEMPOTENCY_KEY_IN_PROGRESS';
      // As the pages do: the shop's Retry-After (1 s) as given, the waiting room's (10 s when a busy process refuses
      // polls) in full too, rather than coming back sooner than asked.
      if (answer.status === 429 || answer.status === 503 || inProgress)
        await sleep(retryAfterMs(answer.headers, 60_000) * (0.8 + 0.4 * random()));
      else if (answer.status <= 0 || answer.status === 502) await sleep(500 + 500 * random());
      else return answer;
      answer = await attempt();
    }
    return answer;
  };

  const buyerRun = async (index: number) => {
    const account = prepared.buyers[index]!;
    const buyer = { cookie: account.cookie, ip: `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}` };
    const queuePath = `/api/events/${eventId}/queue`;
    // Waiting room: join, then poll when the server says, until admitted.
    let status = await persist(() => call('queue.join', 'POST', queuePath, buyer));
    for (;;) {
      if (status.status !== 200) return giveUp(`queue ${status.status}`);
      const state = (status.body as { state?: string; pollAfterMs?: number }).state;
      if (state === 'admitted') break;
      if (state === 'closed' || state === 'not-open') return giveUp(`queue ${state}`);
      if (Date.now() > deadline) return record.cutOff++;
      const wait = Math.max(500, (status.body as { pollAfterMs?: number }).pollAfterMs ?? 2_000);
      await sleep(wait * (0.9 + 0.2 * random()));
      // The line forgot this visitor (Redis lost its data): the queue page joins again by itself.
      status =
        state === 'none'
          ? await persist(() => call('queue.join', 'POST', queuePath, buyer))
          : await persist(() => call('queue.poll', 'GET', queuePath, buyer));
    }
    // Shopping: hold 1-4 seats, choosing again when someone was faster.
    await sleep(config.thinkMs * (0.5 + random()));
    let hold: { id: string; seatIds: number[] } | undefined;
    for (let attempt = 0; attempt < 4 && !hold; attempt++) {
      if (pool.size === 0) return giveUp('sold out');
      const seats = pool.pick(1 + Math.floor(random() * 4), random);
      const answer = await persist(() =>
        call('hold', 'POST', `/api/events/${eventId}/holds`, buyer, { body: { seatIds: seats } }),
      );
      if (answer.status === 201) {
        hold = answer.body as { id: string; seatIds: number[] };
        pool.take(hold.seatIds);
        record.holds.push({ id: hold.id, buyer: account.id, seatIds: hold.seatIds });
      } else if (answer.status === 409) {
        const taken = (answer.body as { unavailableSeatIds?: number[] }).unavailableSeatIds ?? seats;
        pool.take(taken);
      } else {
        return giveUp(`hold ${answer.status}`);
      }
    }
    if (!hold) return giveUp('no seats after 4 tries');
    await sleep(config.thinkMs * (0.5 + random()));
    if (random() >= config.payRatio) {
      // Abandon: let the seats go and free the place in the waiting room.
      const released = await persist(() => call('release', 'DELETE', `/api/holds/${hold.id}`, buyer));
      if (released.status < 300) {
        record.released++;
        pool.give(hold.seatIds);
      }
      await persist(() => call('queue.leave', 'DELETE', queuePath, buyer));
      record.buyersDone++;
      return;
    }
    const key = crypto.randomUUID();
    const paid = await persist(() =>
      call('checkout', 'POST', '/api/checkout', buyer, {
        body: { holdId: hold.id, paymentMethodId: config.paymentMethodId },
        headers: { 'idempotency-key': key },
      }),
    );
    if (paid.status === 201) {
      const body = paid.body as { orderId: string; ticketIds: string[] };
      record.orders.push({
        orderId: body.orderId,
        holdId: hold.id,
        buyer: account.id,
        key,
        ticketIds: body.ticketIds,
        seats: hold.seatIds.length,
      });
      record.lastPaidAt = Date.now();
      record.buyersDone++;
    } else {
      giveUp(`checkout ${paid.status}`);
    }
  };

  let stop = false;
  const ticker = (async () => {
    while (!stop) {
      await hooks.tick?.(Date.now() - record.startedAt, record);
      await sleep(250);
    }
  })();
  const running: Promise<unknown>[] = [];
  for (let i = 0; i < config.buyers; i++) {
    const at = record.startedAt + Math.floor((i / config.buyers) * config.arrivalMs);
    const wait = at - Date.now();
    if (wait > 0) await sleep(wait);
    running.push(buyerRun(i).catch((error: unknown) => giveUp(`error ${(error as Error).message}`)));
  }
  await Promise.all(running);
  stop = true;
  await ticker;
  record.seconds = ((record.lastPaidAt || Date.now()) - record.startedAt) / 1000;
  return record;
}

/**
 * The database after a sale: the inventory audit (lib/inventory) plus the money side: every paid order has its
 * tickets (or a refund), no order was charged twice, no seat has two live tickets.
 */
export async function auditSale(
  db: Database,
  eventIds: string[],
): Promise<{ violations: string[]; counts: Record<string, number> }> {
  const { auditInventory } = await import('@/lib/inventory/audit');
  const inventory = await auditInventory(db, new Date(), eventIds);
  const violations = [...inventory.violations];
  const ids = `{${eventIds.join(',')}}`;
  const paidWithout = await rows<{ id: string }>(
    db,
    sql`select o.id from orders o where o.event_id = any(${ids}::uuid[]) and o.status = 'paid'
          and not exists (select 1 from tickets t where t.order_id = o.id)
          and not exists (select 1 from refunds r where r.order_id = o.id) limit 20`,
  );
  for (const o of paidWithout) violations.push(`paid order ${o.id} has neither tickets nor a refund`);
  const itemsWithout = await rows<{ id: string }>(
    db,
    sql`select o.id from orders o where o.event_id = any(${ids}::uuid[]) and o.status = 'paid'
          and (select count(*) from tickets t where t.order_id = o.id and t.status in ('valid', 'used')) <> (select count(*) from order_items i where i.order_id = o.id) limit 20`,
  );
  for (const o of itemsWithout) violations.push(`paid order ${o.id}: live tickets differ from its items`);
  const twice = await rows<{ order_id: string; n: number }>(
    db,
    sql`select p.order_id, count(*)::int as n from payments p join orders o on o.id = p.order_id
        where o.event_id = any(${ids}::uuid[]) and p.status = 'succeeded' group by p.order_id having count(*) > 1 limit 20`,
  );
  for (const p of twice) violations.push(`order ${p.order_id} charged ${p.n} times`);
  const doubleSold = await rows<{ event_seat_id: number }>(
    db,
    sql`select event_seat_id from tickets where event_id = any(${ids}::uuid[]) and status in ('valid', 'used') group by event_seat_id having count(*) > 1 limit 20`,
  );
  for (const s of doubleSold) violations.push(`seat ${s.event_seat_id} sold twice`);
  const [counts] = await rows<Record<string, number>>(
    db,
    sql`select (select count(*) from event_seats where event_id = any(${ids}::uuid[]))::int as seats,
               (select count(*) from event_seats where event_id = any(${ids}::uuid[]) and status = 'sold')::int as sold,
               (select count(*) from event_seats where event_id = any(${ids}::uuid[]) and status = 'held')::int as held,
               (select count(*) from event_seats where event_id = any(${ids}::uuid[]) and status = 'available')::int as available,
               (select count(*) from orders where event_id = any(${ids}::uuid[]) and status = 'paid')::int as paid_orders,
               (select count(*) from tickets where event_id = any(${ids}::uuid[]) and status in ('valid', 'used'))::int as tickets,
               (select count(*) from payments p join orders o on o.id = p.order_id where o.event_id = any(${ids}::uuid[]) and p.status = 'succeeded')::int as payments,
               (select count(*) from refunds r join orders o on o.id = r.order_id where o.event_id = any(${ids}::uuid[]))::int as refunds`,
  );
  return { violations, counts: counts! };
}
