import { sql } from 'drizzle-orm';
import { afterAll, beforeAll } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { rows } from '@/db/sql';
import type { CheckoutDeps } from '@/lib/checkout/deps';
import { setPaymentProviderForTests } from '@/lib/checkout/get-payment-provider';
import { setEmailSenderForTests, type EmailSender, type OutgoingEmail } from '@/lib/notifications/email-sender';
import type { PaymentProvider } from '@/lib/checkout/payment-provider';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { StripeProvider } from '@/lib/checkout/stripe-provider';
import type { Coordinator } from '@/lib/coordination';
import { placeHold } from '@/lib/inventory';
import { startFakeStripe, type FakeStripe } from './fake-stripe';
import { testDeps } from './inventory';

/** Keeps what would have been emailed. */
export class RecordingEmailSender implements EmailSender {
  readonly name = 'recording';
  readonly sent: OutgoingEmail[] = [];
  async send(message: OutgoingEmail): Promise<void> {
    this.sent.push(message);
  }
}

export type ProviderFactory = { name: string; create: (fake: FakeStripe) => PaymentProvider };

/** Both payment paths: the Stripe provider (real SDK) against the fake Stripe, and the simulated gateway. */
export const PROVIDERS: ProviderFactory[] = [
  { name: 'stripe (real SDK, fake server)', create: (fake) => new StripeProvider(fake.client()) },
  { name: 'simulated gateway', create: () => new SimulatedGateway({ delayMs: 100 }) },
];

export function checkoutTestDeps(
  handle: DatabaseHandle,
  coordinator: Coordinator,
  payments: PaymentProvider,
  now: () => Date = () => new Date(),
): CheckoutDeps & { email: RecordingEmailSender } {
  return {
    ...testDeps(handle, coordinator, now),
    queue: coordinator.queue,
    leases: coordinator.leases,
    payments,
    email: new RecordingEmailSender(),
  };
}

/**
 * A suite that pays through the fake Stripe: the server runs for the whole suite, and meanwhile the app pays through
 * it (unless `appPays` is false) and sends its mail to `email` when one is given. `deps()`: checkout deps that pay
 * through it too.
 */
export function useFakeStripe(
  handle: () => DatabaseHandle,
  coordinator: () => Coordinator,
  options: { appPays?: boolean; email?: EmailSender } = {},
) {
  const { appPays = true, email } = options;
  const started: { fake?: FakeStripe } = {};
  const fake = () => {
    if (!started.fake) throw new Error('the fake Stripe starts in beforeAll');
    return started.fake;
  };
  beforeAll(async () => {
    started.fake = await startFakeStripe();
    if (appPays) setPaymentProviderForTests(new StripeProvider(started.fake.client()));
    if (email) setEmailSenderForTests(email);
  });
  afterAll(async () => {
    if (appPays) setPaymentProviderForTests(undefined);
    if (email) setEmailSenderForTests(undefined);
    await started.fake?.close();
  });
  return { fake, deps: () => checkoutTestDeps(handle(), coordinator(), new StripeProvider(fake().client())) };
}

/** Holds the first `count` free seats of the event (from `offset`) for the buyer. */
export async function holdSeats(deps: CheckoutDeps, eventId: string, userId: string, count = 2, offset = 0) {
  const all = await rows<{ id: number | string }>(
    deps.db,
    sql`select id from event_seats where event_id = ${eventId} order by idx`,
  );
  const seatIds = all.slice(offset, offset + count).map((r) => Number(r.id));
  return placeHold(deps, { eventId, userId, seatIds });
}

export async function countRows(
  handle: DatabaseHandle,
  table: 'orders' | 'payments' | 'refunds' | 'tickets' | 'email_outbox' | 'webhook_events' | 'idempotency_keys',
  where = sql`true`,
) {
  const [r] = await rows<{ n: number }>(
    handle.db,
    sql`select count(*)::int as n from ${sql.raw(table)} where ${where}`,
  );
  return r!.n;
}

export async function seatStatuses(handle: DatabaseHandle, seatIds: number[]) {
  const found = await rows<{ id: number | string; status: string }>(
    handle.db,
    sql`select id, status from event_seats where id = any(${`{${seatIds.join(',')}}`}::bigint[]) order by id`,
  );
  return found.map((r) => r.status);
}

let ipCounter = 0;
/**
 * Joins the event's waiting room through its API (a quiet event admits at once) and returns the Cookie header with
 * the admission cookie added, as the browser would have it after the queue page.
 */
export async function admitted(person: { cookie: string }, eventId: string): Promise<string> {
  const { POST } = await import('@/app/api/events/[id]/queue/route');
  const { NextRequest } = await import('next/server');
  const { cookiePair, withCookies } = await import('./browsers');
  const ip = `198.51.100.${(++ipCounter % 250) + 1}`;
  const response = await POST(
    new NextRequest(`http://localhost:3000/api/events/${eventId}/queue`, {
      method: 'POST',
      headers: { cookie: person.cookie, 'x-forwarded-for': ip },
    }),
    {
      params: Promise.resolve({ id: eventId }),
    },
  );
  const [name, token] = cookiePair(response.headers.get('set-cookie'));
  if (!name || !token) throw new Error(`not admitted to ${eventId}: ${response.status} ${await response.text()}`);
  return withCookies(person.cookie, { [name]: token });
}
