import fc from 'fast-check';
import { NextRequest } from 'next/server';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPaymentProviderForTests } from '@/lib/checkout/get-payment-provider';
import { SimulatedGateway } from '@/lib/checkout/simulated-gateway';
import { resetEnvForTests } from '@/lib/env';
import { ERROR_CODES } from '@/lib/errors';
import { admissionCookieName } from '@/lib/queue/cookies';
import { ensureBuilt, startAppServer, TEST_SECRETS, type AppServer } from '../support/app-server';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { createOnSaleEvent, createUser } from '../support/fixtures';
import { sessionCookies } from '../support/sessions';
import { realDatabaseUrl, realRedisUrl } from '../support/services';
import { anyJson, anyNumber, anyString, contentType, headerValue, rawBody, shapedBody } from '../fuzz/arbitraries';
import {
  concretePath,
  discoverPages,
  discoverRoutes,
  HTTP_METHODS,
  patternMatches,
  type ApiRoute,
  type HttpMethod,
} from '../fuzz/routes';
import { buildWorld, changedTables, snapshotTables, type World } from '../fuzz/world';

/**
 * Property-based fuzzing of every route handler under app/api (found on disk: a new route is fuzzed without being
 * listed here). Each generated request mixes hostile path ids, query strings, headers, cookies and bodies. For every
 * answer: never a 5xx; an error is application/problem+json with a known `code`; and a refused request (4xx)
 * changed no table (each table's row count and content hash are compared before and after).
 *
 * Reproduce a failure with FUZZ_SEED=<seed printed below> npx vitest run tests/integration/fuzz-api.test.ts.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
// 40 a route and method in CI (each run hashes every table twice); the seed changes each run, so coverage adds up over
// runs. FUZZ_RUNS=500 for a deeper search.
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** Percent-encodings that do not decode to UTF-8 text. */
const UNDECODABLE = ['%ZZ', '%00%', '%ED%A0%80', '%C0%AE%C0%AE', '%FF'];
const WIRE_PORT = Number(process.env.FUZZ_WIRE_PORT ?? 3432);
const WEBHOOK_SECRET = 'whsec_fuzz_secret_that_is_long_enough';

type Hint = {
  /** Query parameters the route reads, with values worth sending (random names and values are added too). */
  query?: Record<string, fc.Arbitrary<string>>;
  /** Headers the route reads, each with the values worth sending. */
  headers?: Record<string, fc.Arbitrary<string>>;
  /** The fields of its JSON body, each with a valid-looking generator (hostile values are mixed in). */
  body?: Record<string, fc.Arbitrary<unknown>>;
  /** For catch-all routes: sub-paths worth trying (for a method, if `subPathsFor` names it). */
  subPaths?: string[][];
  subPathsFor?: Partial<Record<HttpMethod, string[][]>>;
  /** A library's own routes answer in the library's own error format, not problem+json. */
  foreignErrors?: boolean;
  /** Cookies to send instead of the world's people (routes that can end a session must not end theirs). */
  cookies?: string[];
  /** The route takes no input, so every request gets the same answer. */
  constant?: boolean;
};

const iso = fc
  .date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
  .map((d) => d.toISOString());
/**
 * Calendar days at the edges: the first and last days JavaScript and PostgreSQL agree on, years 0 and 10000, leap
 * days, the 2038 rollover (issue 15, item 14: 0001-01-01 and 9999-12-31 were 500s).
 */
const BOUNDARY_DAYS = [
  '0000-01-01',
  '0001-01-01',
  '0099-12-31',
  '1899-12-31',
  '1900-01-01',
  '1969-12-31',
  '1970-01-01',
  '2000-02-29',
  '2038-01-19',
  '2100-02-28',
  '2999-12-31',
  '3000-01-01',
  '9999-12-31',
];
const day = fc.oneof(
  { weight: 3, arbitrary: iso.map((s) => s.slice(0, 10)) },
  { weight: 2, arbitrary: fc.constantFrom(...BOUNDARY_DAYS) },
  {
    weight: 1,
    arbitrary: fc
      .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)),
  },
);
const count = fc.oneof(
  fc.nat().map(String),
  anyNumber.map(String),
  fc.constantFrom('1e3', '0x10', ' 1', '9007199254740993'),
);

/**
 * What the fuzzer knows about some routes, to get past their first checks more often. A route missing here is
 * fuzzed all the same, with random queries, headers and bodies.
 */
function hints(world: World): Record<string, Hint> {
  const seat = fc.oneof(fc.constantFrom(...world.seatIds), anyNumber);
  const someId = fc.oneof(fc.constantFrom(...world.ids), fc.uuid(), anyString);
  return {
    '/api/events': {
      query: {
        q: anyString,
        city: anyString,
        category: fc.constantFrom('concert', 'sports', 'theatre', 'comedy', 'CONCERT', ''),
        from: day,
        to: day,
        minPrice: anyNumber.map(String),
        maxPrice: anyNumber.map(String),
        sort: fc.constantFrom('date', 'relevance', 'price'),
        cursor: anyString,
        limit: fc.integer({ min: -5, max: 200 }).map(String),
      },
    },
    '/api/events/[id]/availability': { query: { since: count } },
    '/api/events/[id]/availability/stream': {
      query: { since: count },
      headers: { 'last-event-id': fc.oneof(fc.nat().map(String), headerValue) },
    },
    '/api/events/[id]/layout': { headers: { 'if-none-match': headerValue } },
    '/api/events/[id]/layout/unlocked': { headers: { 'if-none-match': headerValue } },
    '/api/events/[id]/holds': {
      body: { seatIds: fc.oneof(fc.array(seat, { maxLength: 8 }), fc.array(seat, { minLength: 51, maxLength: 60 })) },
    },
    '/api/events/[id]/access-code': {
      body: { code: fc.oneof(fc.constantFrom('FANCLUB-24', 'fan club 24', ''), anyString) },
    },
    '/api/events/[id]/waitlist': {
      body: {
        partySize: fc.oneof(fc.integer({ min: -2, max: 60 }), anyNumber),
        maxPriceMinor: fc.oneof(fc.integer({ min: -1, max: 20_000 }), anyNumber),
        wheelchairSeats: fc.oneof(fc.integer({ min: 0, max: 4 }), anyNumber),
        priceTierId: someId,
      },
    },
    '/api/checkout': {
      headers: { 'idempotency-key': fc.oneof(fc.uuid(), headerValue) },
      body: {
        holdId: someId,
        paymentMethodId: fc.constantFrom(
          'pm_card_visa',
          'pm_card_chargeDeclined',
          'pm_card_delayed',
          'pm_unknown',
          'card_4242',
        ),
      },
    },
    '/api/orders': { query: { cursor: iso, limit: count } },
    '/api/tickets/[id]/transfer': {
      body: {
        email: fc.oneof(
          fc.emailAddress(),
          fc.constantFrom(world.owner.email, world.others[0]!.email, world.admin.email),
        ),
      },
    },
    '/api/tickets/[id]/device-key': {
      body: {
        publicKey: fc.oneof(
          fc.base64String({ minLength: 43, maxLength: 44 }),
          fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        ),
      },
    },
    '/api/tickets/verify': {
      body: {
        code: fc.oneof(fc.string({ minLength: 10, maxLength: 80 }), fc.constant(`AO1.${'A'.repeat(100)}`)),
        eventId: someId,
      },
    },
    '/api/tickets/scanner': { query: { eventId: someId } },
    '/api/counter/holds': {
      body: {
        eventId: fc.oneof(fc.constant(world.eventId), someId),
        seatIds: fc.oneof(fc.array(seat, { maxLength: 8 }), fc.array(seat, { minLength: 51, maxLength: 60 })),
      },
    },
    '/api/counter/sales': {
      headers: { 'idempotency-key': fc.oneof(fc.uuid(), headerValue) },
      body: {
        holdId: someId,
        payment: fc.oneof(
          fc.record({ method: fc.constant('cash'), tenderedMinor: fc.oneof(fc.nat(), anyNumber) }),
          fc.record({ method: fc.constant('card_present'), terminalReference: anyString }),
          anyJson,
        ),
        email: fc.oneof(fc.emailAddress(), anyString),
      },
    },
    '/api/counter/till/**': {
      query: { date: fc.oneof(day, anyString), tz: fc.oneof(fc.constantFrom('UTC', 'Europe/Vienna'), anyString) },
    },
    '/api/counter/till': {
      query: { date: fc.oneof(day, anyString), tz: fc.oneof(fc.constantFrom('UTC', 'Europe/Vienna'), anyString) },
    },
    '/api/tickets/admit': {
      body: {
        code: fc.oneof(fc.string({ minLength: 10, maxLength: 80 }), fc.constant(`AO1.${'A'.repeat(100)}`)),
        eventId: someId,
        gate: fc.oneof(fc.constantFrom('North gate', 'Door 3'), anyString),
      },
    },
    // Unsigned here, so always 400; the signed deliveries have their own property below.
    '/api/webhooks/stripe': {
      headers: { 'stripe-signature': fc.oneof(headerValue, fc.constant('t=1,v1=00')) },
      constant: true,
    },
    '/api/cron/**': {
      headers: {
        authorization: fc.oneof(
          fc.constant(`Bearer ${TEST_SECRETS.CRON_SECRET}`),
          fc.constant(`Bearer ${TEST_SECRETS.CRON_SECRET}x`),
          headerValue,
        ),
      },
    },
    '/api/health/**': { constant: true },
    '/api/health': { constant: true },
    '/api/metrics': { constant: true },
    '/api/bench/noop': { constant: true },
    '/api/openapi.json': { constant: true },
    // Answers 200 only for an event whose pre-queue draw was published; the world has none (its 429s came from the
    // one per-address bucket every client without a trusted proxy used to share).
    '/api/events/[id]/queue/draw': { constant: true },
    '/api/auth/[...all]': {
      subPaths: [
        ['sign-up', 'email'],
        ['sign-in', 'email'],
        ['sign-out'],
        ['get-session'],
        ['list-sessions'],
        ['change-password'],
        ['update-user'],
        ['delete-user'],
        ['forget-password'],
        ['reset-password'],
      ],
      // What better-auth serves to a GET: any other sub-path is 404 to it, whatever the request.
      subPathsFor: { GET: [['get-session'], ['list-sessions']] },
      body: {
        email: fc.oneof(fc.emailAddress(), anyString),
        password: fc.oneof(fc.string({ minLength: 10, maxLength: 20 }), anyString),
        name: anyString,
        role: fc.constant('admin'),
      },
      headers: {
        origin: fc.constantFrom('http://localhost:3000', 'https://evil.example', 'null'),
        'x-admitone-pow': fc.oneof(headerValue, fc.constant('pow1.a.b.c.d.e.1')),
      },
      foreignErrors: true,
      cookies: world.spare.map((p) => p.cookie),
    },
  };
}

/** The ids that belong in a route's path: the event for /api/events/..., the hold for /api/holds/..., and so on. */
function relevantIds(world: World, pattern: string): string[] {
  if (pattern.startsWith('/api/events/')) return [world.eventId, world.eventId, world.eventId, world.draftEventId];
  if (pattern.startsWith('/api/holds/')) return [world.holdId];
  if (pattern.startsWith('/api/orders/')) return [world.orderId];
  if (pattern.startsWith('/api/tickets/')) return world.ticketIds;
  return world.ids;
}

const hintFor = (table: Record<string, Hint>, pattern: string): Hint =>
  Object.entries(table).find(([glob]) => patternMatches(glob, pattern))?.[1] ?? {};

type FuzzRequest = {
  params: Record<string, string | string[]>;
  query: [string, string][];
  headers: Record<string, string>;
  cookie: string | null;
  body?: string;
};

function requestArbitrary(route: ApiRoute, method: HttpMethod, world: World, hint: Hint): fc.Arbitrary<FuzzRequest> {
  const id = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...relevantIds(world, route.pattern)) },
    { weight: 1, arbitrary: fc.constantFrom(...world.ids) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: anyString },
  );
  // Mostly paths the route serves, so that its answers vary (one GET in ten used to reach one: a seed could draw none).
  const catchAll = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...(hint.subPathsFor?.[method] ?? hint.subPaths ?? [['x']])) },
    { weight: 1, arbitrary: fc.array(anyString, { minLength: 1, maxLength: 3 }) },
  );
  const params = fc.record(
    Object.fromEntries(route.segments.map((s) => [s.name, s.catchAll ? catchAll : id])) as Record<
      string,
      fc.Arbitrary<string | string[]>
    >,
  );
  const known = Object.entries(hint.query ?? {}).map(([name, value]) =>
    fc.tuple(fc.constant(name), fc.oneof(value, anyString)),
  );
  const random = fc.tuple(
    fc.oneof(fc.constantFrom('id', 'since', 'cursor', 'limit'), anyString),
    fc.oneof(anyString, anyNumber.map(String)),
  );
  const query = fc.oneof(
    fc.constant<[string, string][]>([]),
    fc.array(
      known.length ? fc.oneof({ weight: 3, arbitrary: fc.oneof(...known) }, { weight: 1, arbitrary: random }) : random,
      { maxLength: 6 },
    ),
  );
  const cookie = hint.cookies
    ? fc.option(fc.constantFrom(...hint.cookies), { freq: 3 })
    : fc.oneof(
        { weight: 2, arbitrary: fc.constant(null) },
        {
          weight: 4,
          arbitrary: fc.constantFrom(
            world.owner.admitted,
            world.others[0]!.admitted,
            world.others[1]!.admitted,
            world.admin.admitted,
            world.owner.cookie,
          ),
        },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            world.owner.cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
            'better-auth.session_token=x',
            `better-auth.session_token=${'a'.repeat(8000)}`,
          ),
        },
        {
          weight: 1,
          arbitrary: headerValue.map(
            (v) =>
              `better-auth.session_token=${encodeURIComponent(v)}; better-auth.session_data=${encodeURIComponent(v)}`,
          ),
        },
        {
          weight: 1,
          arbitrary: headerValue.map(
            (v) =>
              `${world.owner.cookie}; better-auth.session_data=${encodeURIComponent(v)}; ${admissionCookieName(world.eventId)}=${encodeURIComponent(v)}`,
          ),
        },
      );
  const hinted = Object.entries(hint.headers ?? {}).map(([name, value]) =>
    fc.option(
      value.map((v) => [name, v] as const),
      { freq: 3 },
    ),
  );
  const generic = fc.array(
    fc.tuple(
      fc.constantFrom(
        'idempotency-key',
        'x-forwarded-for',
        'origin',
        'authorization',
        'x-request-id',
        'if-none-match',
        'last-event-id',
        'accept',
      ),
      headerValue,
    ),
    { maxLength: 3 },
  );
  const headers = fc.tuple(fc.tuple(...hinted), generic, contentType).map(([h, g, type]) => {
    const all: Record<string, string> = Object.fromEntries(g);
    for (const pair of h) if (pair) all[pair[0]] = pair[1];
    if (type) all['content-type'] = type;
    return all;
  });
  const canHaveBody = method !== 'GET';
  const body = canHaveBody
    ? fc.option(rawBody(hint.body ? shapedBody(hint.body) : anyJson), { freq: 6 }).map((b) => b ?? undefined)
    : fc.constant(undefined);
  return fc.record({ params, query, headers, cookie, body });
}

/** Same as a Stripe delivery: a signed body of hostile content (only Stripe knows the secret, but it must still not 500). */
function signedWebhook(world: World): fc.Arbitrary<FuzzRequest> {
  const intent = fc.record({
    id: fc.oneof(fc.constant('pi_fuzz'), anyString),
    object: fc.constant('payment_intent'),
    metadata: fc.oneof(
      fc.record({ order_id: fc.oneof(fc.constantFrom(world.orderId), fc.uuid(), anyString) }),
      anyJson,
    ),
    last_payment_error: fc.option(fc.record({ decline_code: anyString, code: anyString, message: anyString })),
  });
  const refund = fc.record({
    id: anyString,
    object: fc.constant('refund'),
    payment_intent: anyString,
    status: anyString,
    metadata: anyJson,
    amount: anyNumber,
  });
  const event = fc.record({
    id: fc.oneof(
      fc.uuid().map((u) => `evt_${u}`),
      anyString,
    ),
    object: fc.constant('event'),
    type: fc.constantFrom(
      'payment_intent.succeeded',
      'payment_intent.payment_failed',
      'refund.created',
      'refund.updated',
      'charge.refunded',
      'customer.created',
      '',
    ),
    data: fc.oneof(fc.record({ object: fc.oneof(intent, refund, anyJson) }), anyJson),
  });
  return fc
    .oneof(
      event.map((e) => JSON.stringify(e)),
      anyJson.map((v) => JSON.stringify(v) ?? 'null'),
    )
    .map((payload) => ({
      params: {},
      query: [],
      cookie: null,
      headers: {
        'content-type': 'application/json',
        'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }),
      },
      body: payload,
    }));
}

type Answer = { status: number; type: string; text: string };

const RUN_IP = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;

async function send(route: ApiRoute, method: HttpMethod, req: FuzzRequest): Promise<Answer> {
  const url = new URL(concretePath(route, req.params), 'http://localhost:3000');
  for (const [k, v] of req.query) url.searchParams.append(k, v);
  const headers = new Headers(req.headers);
  if (req.cookie) headers.set('cookie', req.cookie);
  // Unless the fuzzer picked an address, this run's own: per-IP budgets live in the shared Redis, and requests that
  // name no address would spend the budget of every other test file's requests that name none either.
  if (!headers.has('x-forwarded-for')) headers.set('x-forwarded-for', RUN_IP);
  const abort = new AbortController();
  const request = new NextRequest(url, { method, headers, body: req.body, signal: abort.signal });
  const response = await route.handlers[method]!(request, { params: Promise.resolve(req.params) });
  const type = response.headers.get('content-type') ?? '';
  let text = '';
  if (type.startsWith('text/event-stream')) {
    abort.abort();
    await response.body?.cancel();
  } else {
    text = await response.text();
  }
  return { status: response.status, type, text };
}

/** Reproducible description of a request for a failure message (long values cut). */
const describeRequest = (method: string, route: ApiRoute, req: FuzzRequest) =>
  JSON.stringify(
    {
      method,
      route: route.pattern,
      ...req,
      body: req.body && req.body.length > 300 ? `${req.body.slice(0, 300)}… (${req.body.length} chars)` : req.body,
    },
    (_, v: unknown) => (typeof v === 'string' && v.length > 300 ? `${v.slice(0, 300)}… (${v.length} chars)` : v),
  );

describe(`fuzzing every API route (seed ${SEED}, ${RUNS} runs per route and method)`, () => {
  const { handle } = useTestDatabase({ reset: false });
  useTestCoordinator();
  let world: World;
  let routes: ApiRoute[];
  let table: Record<string, Hint>;
  let state: Record<string, string>;
  /** Answers seen per route and method, by status: proof that the fuzzer gets past the first checks. */
  const tally = new Map<string, Map<number, number>>();

  beforeAll(async () => {
    process.env.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET;
    resetEnvForTests();
    setPaymentProviderForTests(new SimulatedGateway({ delayMs: 50 }));
    world = await buildWorld(handle());
    routes = await discoverRoutes();
    table = hints(world);
    state = await snapshotTables(handle());
  });
  afterAll(() => {
    delete process.env.STRIPE_WEBHOOK_SECRET;
    resetEnvForTests();
    setPaymentProviderForTests(undefined);
  });

  /** Sends one request and checks the three promises; keeps the new state when the request was accepted. */
  async function check(route: ApiRoute, method: HttpMethod, req: FuzzRequest, hint: Hint) {
    const context = () => `seed ${SEED}: ${describeRequest(method, route, req)}`;
    const answer = await send(route, method, req);
    const seen = tally.get(`${method} ${route.pattern}`) ?? new Map<number, number>();
    seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
    tally.set(`${method} ${route.pattern}`, seen);
    expect(answer.status, `${context()}\nanswered ${answer.status}: ${answer.text.slice(0, 500)}`).toBeLessThan(500);
    const after = await snapshotTables(handle());
    if (answer.status >= 400) {
      expect(
        changedTables(state, after),
        `${context()}\nrefused with ${answer.status} but changed these tables`,
      ).toEqual([]);
      if (!hint.foreignErrors) {
        expect(answer.type, context()).toBe('application/problem+json');
        const problem = JSON.parse(answer.text) as { code: string; status: number };
        expect(Object.keys(ERROR_CODES), `${context()}\nunknown code ${problem.code}`).toContain(problem.code);
        expect(problem.status, context()).toBe(answer.status);
      }
    }
    state = after;
  }

  it('finds route handlers to fuzz', () => {
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes)
      expect(Object.keys(route.handlers), `${route.file} exports no method handler`).not.toHaveLength(0);
  });

  /** Runs the property and returns a short report instead of fast-check's (which prints megabyte-long bodies). */
  async function run(
    label: string,
    arbitrary: fc.Arbitrary<FuzzRequest>,
    probe: (req: FuzzRequest) => Promise<void>,
    numRuns = RUNS,
  ): Promise<string | null> {
    const details = await fc.check(fc.asyncProperty(arbitrary, probe), { seed: SEED, numRuns, endOnFailure: true });
    if (!details.failed) return null;
    const reason =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    return `${label} (seed ${SEED}, path ${details.counterexamplePath}):\n${reason.slice(0, 2_000)}`;
  }

  it(
    'never answers 5xx, answers problem+json with a known code, and changes nothing when it refuses',
    { timeout: 240_000 },
    async () => {
      const seen: string[] = [];
      const failures: string[] = [];
      for (const route of routes) {
        const hint = hintFor(table, route.pattern);
        for (const method of Object.keys(route.handlers) as HttpMethod[]) {
          seen.push(`${method} ${route.pattern}`);
          const failure = await run(`${method} ${route.pattern}`, requestArbitrary(route, method, world, hint), (req) =>
            check(route, method, req, hint),
          );
          if (failure) failures.push(failure);
        }
      }
      expect(seen).toContain('POST /api/events/[id]/holds');
      expect(failures, failures.join('\n\n')).toEqual([]);
      const summary = [...tally].map(
        ([key, statuses]) =>
          `${key}: ${[...statuses]
            .sort(([a], [b]) => a - b)
            .map(([status, n]) => `${status}×${n}`)
            .join(' ')}`,
      );
      console.info(`fuzz answers by route (seed ${SEED}):\n${summary.join('\n')}`);
      // Every route answered in more than one way: the generated requests reach past its first check.
      const flat = [...tally]
        .filter(([key, statuses]) => statuses.size < 2 && !hintFor(table, key.split(' ')[1]!).constant)
        .map(([key]) => key);
      expect(flat, `routes that answered every request the same way:\n${summary.join('\n')}`).toEqual([]);
    },
  );

  it('survives signed Stripe webhooks with hostile content', async () => {
    const route = routes.find((r) => r.pattern === '/api/webhooks/stripe')!;
    const failure = await run(
      'signed POST /api/webhooks/stripe',
      signedWebhook(world),
      (req) => check(route, 'POST', req, {}),
      RUNS * 2,
    );
    expect(failure).toBeNull();
  });

  it('cron routes with the right secret still refuse nothing they should not', async () => {
    for (const route of routes.filter((r) => r.pattern.startsWith('/api/cron/'))) {
      for (const method of Object.keys(route.handlers) as HttpMethod[]) {
        const answer = await send(route, method, {
          params: {},
          query: [],
          headers: { authorization: `Bearer ${TEST_SECRETS.CRON_SECRET}` },
          cookie: null,
        });
        expect(answer.status, `${method} ${route.pattern}: ${answer.text}`).toBe(200);
      }
    }
  });
});

/**
 * What only the real server shows: Next's own answer to methods a route does not export, and to paths and query
 * strings no handler would ever see in-process (broken percent-encoding, overlong segments, traversal).
 */
describe.skipIf(!realDatabaseUrl || !realRedisUrl)('fuzzing the built app over HTTP', () => {
  const { handle, url } = useTestDatabase({ reset: false });
  let server: AppServer;
  let routes: ApiRoute[];
  beforeAll(async () => {
    // The built app is the product: the benchmark's `.bench.ts` route is not in it (next.config.js).
    routes = (await discoverRoutes()).filter((r) => !r.file.endsWith('.bench.ts'));
    await ensureBuilt();
    server = await startAppServer(WIRE_PORT, { DATABASE_URL: url(), REDIS_URL: realRedisUrl! });
  }, 400_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('answers every method a route does not export with 405, never a 5xx', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const path = concretePath(
        route,
        Object.fromEntries(route.segments.map((s) => [s.name, s.catchAll ? ['get-session'] : crypto.randomUUID()])),
      );
      for (const method of HTTP_METHODS.filter((m) => !route.handlers[m])) {
        const res = await fetch(`${server.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: method === 'GET' ? undefined : '{}',
        });
        await res.arrayBuffer();
        if (res.status !== 405) failures.push(`${method} ${route.pattern}: ${res.status}`);
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  /**
   * Every page (found on disk, like the routes), signed out, as a customer and as an admin, with hostile and boundary
   * query strings: search words with NULs and line breaks, dates at the edges of the calendar, `next` targets. No 500
   * (issue 15, item 14: the orders desk page rendered one for `q=%00x`).
   */
  it('never answers 5xx on a page, whatever the query string', { timeout: 240_000 }, async () => {
    const pages = discoverPages();
    expect(pages.length).toBeGreaterThan(15);
    const { event } = await createOnSaleEvent(handle().db, { rows: 1, seatsPerRow: 4 });
    const [customer, admin] = [await createUser(handle().db), await createUser(handle().db, { role: 'admin' })];
    const [customerCookie, adminCookie] = await sessionCookies(handle().db, [customer.id, admin.id]);
    const ids = [event.id, crypto.randomUUID(), 'not-a-uuid', '%ZZ'.replace('%', '%25')];
    const value = fc.oneof(
      { weight: 2, arbitrary: anyString },
      { weight: 2, arbitrary: fc.constantFrom(...BOUNDARY_DAYS) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '\u0000x',
          'a\nb',
          '/\t/evil.example',
          '//evil.example',
          '/\\evil.example',
          'https://evil.example',
          '0',
          '-1',
          '1e309',
          'x'.repeat(3_000),
        ),
      },
    );
    const name = fc.constantFrom(
      'q',
      'from',
      'to',
      'next',
      'city',
      'category',
      'sort',
      'cursor',
      'limit',
      'minPrice',
      'maxPrice',
      'status',
      'page',
      'since',
    );
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...pages),
        fc.constantFrom(...ids),
        fc.array(fc.tuple(name, value), { maxLength: 4 }),
        fc.constantFrom(null, customerCookie!, adminCookie!),
        async (page, id, query, cookie) => {
          const params = new URLSearchParams();
          for (const [k, v] of query) params.append(k, v.replace(/[\ud800-\udfff]/g, '\ufffd'));
          const path = `${page.replace(/\[\w+\]/g, id)}${query.length ? `?${params}` : ''}`;
          const res = await fetch(`${server.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
          await res.arrayBuffer().catch(() => undefined);
          if (res.status >= 500)
            failures.push(
              `${cookie === adminCookie ? 'admin' : cookie ? 'customer' : 'signed out'} GET ${path}: ${res.status}`,
            );
        },
      ),
      { seed: SEED, numRuns: 120 },
    );
    expect(failures, `seed ${SEED}\n${failures.join('\n')}`).toEqual([]);
    expect(server.output()).not.toMatch(/unhandled error/);
  });

  it('never answers 5xx to hostile raw paths and query strings (except Next’s own, for undecodable path segments)', async () => {
    const segments = [
      ...UNDECODABLE,
      '..%2F..%2Fetc%2Fpasswd',
      'a'.repeat(4000),
      '%F0%9F%8E%9F',
      "'%20OR%201=1",
      '%3Cscript%3E',
      '%25',
      '.',
      '..',
      '%E2%80%AE',
    ];
    const failures: string[] = [];
    let upstream = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom(...segments),
        fc.constantFrom(
          '',
          '?since=%ZZ',
          '?q=%00&q=%ED%A0%80',
          `?limit=${'9'.repeat(400)}`,
          '?cursor=%FF%FE',
          '?__proto__[x]=1',
        ),
        async (route, segment, query) => {
          const dynamic = route.segments.length > 0;
          const path = dynamic
            ? concretePath(route, {}).replace(/\/(?=\/|$)/, `/${segment}`)
            : `${route.pattern}${query ? '' : `/${segment}`}`;
          for (const method of Object.keys(route.handlers) as HttpMethod[]) {
            const res = await fetch(`${server.url}${path}${query}`, {
              method,
              headers: { 'content-type': 'application/json' },
              body: method === 'GET' ? undefined : '{}',
            });
            await res.arrayBuffer().catch(() => undefined);
            if (res.status < 500) continue;
            // vercel/next.js#92527: Next answers a path segment it cannot percent-decode for a dynamic route (also when
            // `/api/events/%ZZ` is tried as a static route's sub-path) with its own plain-text 500 in production, before
            // any of our code runs (our errors are problem+json). Counted, not failed, until fixed upstream.
            if (UNDECODABLE.includes(segment) && res.headers.get('content-type')?.startsWith('text/plain')) upstream++;
            else failures.push(`${method} ${path}${query}: ${res.status}`);
          }
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
    expect(failures, `seed ${SEED}\n${failures.join('\n')}`).toEqual([]);
    if (upstream)
      console.info(`${upstream} requests with undecodable path segments got Next's own 500 (vercel/next.js#92527)`);
    expect(server.output()).not.toMatch(/unhandled error/);
  });
});
