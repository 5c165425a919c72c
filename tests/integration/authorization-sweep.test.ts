import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { concretePath, patternMatches, type ApiRoute, type HttpMethod } from '../fuzz/routes';
import { useRouteWorld } from '../support/route-world';
import { changedTables, ownersResourceId, snapshotTables, type Person, type World } from '../fuzz/world';

/**
 * Who may call what. Every route handler under app/api (found on disk) must match an entry here, so a new route
 * fails this test until someone decides who may use it.
 * - public: anyone, signed in or not; answers about nobody's private data.
 * - owner: only the account that owns the resource in the path (or body); anyone else 404/403, signed out 401.
 * - owner-or-admin: the owner, and admins (support staff act on customers' orders and tickets).
 * - account: any signed-in account, about itself only (its own orders, its own place in the queue); signed out 401.
 * - admin: admins only; customers 403/404, signed out 401.
 * - cron: only with the cron secret: every account, admins too, gets 401 without it.
 * - webhook: only with a valid Stripe signature (400 without, whoever calls; 404 when Stripe is not configured).
 * - operator: only with METRICS_TOKEN, or from loopback without one: every account, admins too, gets 401.
 */
type Access = 'public' | 'owner' | 'owner-or-admin' | 'account' | 'admin' | 'cron' | 'webhook' | 'operator';

const EXPECTATIONS: Record<string, Access> = {
  'GET /api/auth/[...all]': 'public',
  'POST /api/auth/[...all]': 'public',
  'GET /api/bench/noop': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/health': 'public',
  'GET /api/health/live': 'public',
  'GET /api/health/ready': 'public',
  'GET /api/metrics': 'operator',
  'GET /api/events': 'public',
  'GET /api/events/[id]': 'public',
  'GET /api/events/[id]/layout': 'public',
  // The public layout for anyone; more tiers only for a presale code's admission or staff (presale-access-codes test).
  'GET /api/events/[id]/layout/unlocked': 'public',
  'GET /api/events/[id]/availability': 'public',
  'GET /api/events/[id]/availability/stream': 'public',
  'GET /api/events/[id]/queue/draw': 'public',
  'GET /api/events/[id]/queue': 'account',
  'POST /api/events/[id]/queue': 'account',
  'DELETE /api/events/[id]/queue': 'account',
  'GET /api/events/[id]/waitlist': 'account',
  'POST /api/events/[id]/waitlist': 'account',
  'DELETE /api/events/[id]/waitlist': 'account',
  'POST /api/events/[id]/holds': 'account',
  'POST /api/events/[id]/access-code': 'account',
  'GET /api/holds/[id]': 'owner-or-admin',
  'DELETE /api/holds/[id]': 'owner',
  'POST /api/holds/[id]/release': 'owner',
  'POST /api/holds/[id]/resume': 'owner',
  'POST /api/checkout': 'owner',
  'GET /api/orders': 'account',
  'GET /api/orders/[id]': 'owner-or-admin',
  'POST /api/orders/[id]/cancel': 'owner-or-admin',
  'GET /api/tickets/[id]': 'owner-or-admin',
  'POST /api/tickets/[id]/transfer': 'owner-or-admin',
  'POST /api/tickets/[id]/device-key': 'owner',
  'GET /api/tickets/scanner': 'admin',
  'POST /api/tickets/verify': 'admin',
  'POST /api/tickets/admit': 'admin',
  // Door scanners: door staff, organizers, or a paired device's bearer token (tests/integration/door-check-in.test.ts).
  'GET /api/checkin/session': 'admin',
  'GET /api/checkin/list': 'admin',
  'POST /api/checkin/scan': 'admin',
  'POST /api/checkin/sync': 'admin',
  'GET /api/cron/queue': 'cron',
  'POST /api/cron/queue': 'cron',
  'POST /api/cron/reconcile-payments': 'cron',
  'POST /api/cron/sweep-holds': 'cron',
  'POST /api/webhooks/stripe': 'webhook',
  // The admin area: whatever routes it grows, only admins.
  '* /api/admin/**': 'admin',
  // The box office: box-office staff and admins; customers 403 (tests/integration/counter-sales.test.ts: door staff too).
  '* /api/counter/**': 'admin',
};

const expectationFor = (key: string): Access | undefined => {
  if (key in EXPECTATIONS) return EXPECTATIONS[key];
  const [method, pattern] = key.split(' ') as [string, string];
  return Object.entries(EXPECTATIONS).find(([glob]) => {
    const [m, p] = glob.split(' ') as [string, string];
    return (m === '*' || m === method) && patternMatches(p, pattern);
  })?.[1];
};

const RUN_IP = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;

type Call = {
  path: string;
  params: Record<string, string | string[]>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
};

/** The request each route gets: aimed at the owner's resource wherever the route names one. */
function requestFor(route: ApiRoute, world: World): Call {
  const id = ownersResourceId(route.pattern, world);
  const params = Object.fromEntries(route.segments.map((s) => [s.name, s.catchAll ? ['get-session'] : id]));
  const call: Call = { path: concretePath(route, params), params };
  if (route.pattern === '/api/checkout') {
    call.body = { holdId: world.holdId, paymentMethodId: 'pm_card_visa' };
    call.headers = { 'idempotency-key': crypto.randomUUID() };
  }
  if (route.pattern === '/api/events/[id]/holds') call.body = { seatIds: [world.seatIds[10]] };
  if (route.pattern === '/api/tickets/[id]/transfer') call.body = { email: world.others[0]!.email };
  if (route.pattern === '/api/tickets/[id]/device-key') call.body = { publicKey: 'A'.repeat(43) };
  if (route.pattern === '/api/tickets/verify')
    call.body = { code: 'AO1.not-a-real-code-at-all', eventId: world.eventId };
  if (route.pattern === '/api/tickets/scanner') call.query = { eventId: world.eventId };
  if (route.pattern === '/api/checkin/list') call.query = { eventId: world.eventId };
  if (route.pattern === '/api/checkin/scan')
    call.body = { code: 'AO1.not-a-real-code-at-all', eventId: world.eventId, gateId: crypto.randomUUID() };
  if (route.pattern === '/api/checkin/sync')
    call.body = { eventId: world.eventId, gateId: crypto.randomUUID(), admissions: [] };
  // Seats the owner holds: an admin at the counter is refused them (409) and nothing changes.
  if (route.pattern === '/api/counter/holds') call.body = { eventId: world.eventId, seatIds: [world.seatIds[2]] };
  if (route.pattern === '/api/counter/sales') {
    call.body = { holdId: world.holdId, payment: { method: 'cash', tenderedMinor: 100_000 } };
    call.headers = { 'idempotency-key': crypto.randomUUID() };
  }
  if (route.pattern === '/api/tickets/admit')
    call.body = { code: 'AO1.not-a-real-code-at-all', eventId: world.eventId, gate: 'North gate' };
  return call;
}

async function send(
  route: ApiRoute,
  method: HttpMethod,
  call: Call,
  cookie: string | null,
): Promise<{ status: number; text: string }> {
  const url = new URL(call.path, 'http://localhost:3000');
  for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers(call.headers);
  if (cookie) headers.set('cookie', cookie);
  if (call.body !== undefined) headers.set('content-type', 'application/json');
  headers.set('origin', 'http://localhost:3000');
  // An address of this run's own: per-IP budgets live in the shared Redis, and a 429 would hide the answer under test.
  headers.set('x-forwarded-for', RUN_IP);
  const abort = new AbortController();
  const request = new NextRequest(url, {
    method,
    headers,
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
    signal: abort.signal,
  });
  const response = await route.handlers[method]!(request, { params: Promise.resolve(call.params) });
  if ((response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
    abort.abort();
    await response.body?.cancel();
    return { status: response.status, text: '' };
  }
  return { status: response.status, text: await response.text() };
}

describe('authorization sweep: every route refuses every account that is not allowed', () => {
  const suite = useRouteWorld({ others: 2 });
  const { handle } = suite;

  it('has an expectation for every route and method', () => {
    const missing = suite
      .methods()
      .filter(({ key }) => !expectationFor(key))
      .map(({ key }) => key);
    expect(missing, 'add these to EXPECTATIONS in tests/integration/authorization-sweep.test.ts').toEqual([]);
  });

  it('refuses signed-out callers, other customers and (where not allowed) admins, without data and without any change', async () => {
    const { world } = suite;
    // What only the owner may see: none of it may appear in an answer to anybody else.
    const secrets = (call: Call) =>
      [world.owner.email, world.owner.id, world.holdId, world.orderId, ...world.ticketIds].filter(
        (s) => !call.path.includes(s),
      );
    const failures: string[] = [];
    const before = await snapshotTables(handle());
    for (const { route, method, key } of suite.methods()) {
      const access = expectationFor(key);
      const call = requestFor(route, world);
      const callers: { who: string; person: Person | null; allowed: boolean }[] = [
        { who: 'signed out', person: null, allowed: access === 'public' },
        ...world.others.map((p, i) => ({
          who: `customer ${i + 1}`,
          person: p,
          allowed: access === 'public' || access === 'account',
        })),
        {
          who: 'admin',
          person: world.admin,
          allowed: access === 'public' || access === 'account' || access === 'owner-or-admin' || access === 'admin',
        },
      ];
      for (const { who, person, allowed } of callers) {
        const state = await snapshotTables(handle());
        const answer = await send(route, method, call, person?.admitted ?? null);
        // Admins may read (and support) customers' orders, tickets and holds; everyone else learns nothing of them.
        const mayRead = person === world.admin && (access === 'owner-or-admin' || access === 'admin');
        const leaked = mayRead ? [] : secrets(call).filter((s) => answer.text.includes(s));
        if (leaked.length)
          failures.push(`${key} as ${who}: the answer (${answer.status}) contains the owner's ${leaked.join(', ')}`);
        if (answer.status >= 500) failures.push(`${key} as ${who}: ${answer.status} ${answer.text.slice(0, 200)}`);
        if (allowed) continue;
        // Without Stripe configured (the simulated gateway) the webhook route does not exist: 404.
        const expected =
          access === 'webhook'
            ? [400, 404]
            : person === null || access === 'cron' || access === 'operator'
              ? [401]
              : [403, 404];
        if (!expected.includes(answer.status))
          failures.push(
            `${key} as ${who}: expected ${expected.join(' or ')}, got ${answer.status} ${answer.text.slice(0, 200)}`,
          );
        const changed = changedTables(state, await snapshotTables(handle()));
        if (changed.length) failures.push(`${key} as ${who}: refused, but changed ${changed.join(', ')}`);
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
    // Allowed calls by others (joining a queue, listing their own empty orders) may write their own rows; nothing of the owner's changed.
    const after = await snapshotTables(handle());
    for (const table of ['orders', 'payments', 'refunds', 'tickets', 'holds', 'idempotency_keys'])
      expect(after[table], table).toBe(before[table]);
  });

  it('lets the owner through the same routes (so the refusals above are about who asks, not a broken request)', async () => {
    const { world } = suite;
    const failures: string[] = [];
    for (const { route, method, key } of suite.methods()) {
      const access = expectationFor(key);
      if (access !== 'owner' && access !== 'owner-or-admin') continue;
      const answer = await send(route, method, requestFor(route, world), world.owner.admitted);
      // 409 counts: the owner was recognised, the resource is merely in another state (an earlier route consumed it).
      if ([401, 403, 404].includes(answer.status) || answer.status >= 500)
        failures.push(`${key} as owner: ${answer.status} ${answer.text.slice(0, 200)}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });
});
