import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/**
 * A local server that speaks the part of Stripe's API this project uses, for tests that drive the real `stripe`
 * SDK (see ../shared/STACK.md: there is no stripe-mock on npm). PaymentIntents (create with confirm, confirm,
 * retrieve), refunds (create, retrieve), idempotency replay and conflicts like Stripe's, and webhooks signed with
 * the SDK's own test helper, delivered to a handler or URL the test chooses, again or out of order on request.
 *
 * Test PaymentMethods: pm_card_visa succeeds, pm_card_chargeDeclined declines (generic_decline),
 * pm_card_chargeDeclinedInsufficientFunds declines (insufficient_funds), pm_card_delayed is `processing` and then
 * succeeds after `delayMs` with a payment_intent.succeeded webhook. Wallets: WALLET_PAYMENT_METHODS stand for what the
 * Payment Element makes when a buyer pays with Apple Pay or Google Pay (a card PaymentMethod whose `card.wallet`
 * names the wallet); they succeed. Each PaymentMethod has a card (brand, last4) that `expand[]=payment_method`
 * shows on a PaymentIntent, and GET /v1/payment_methods/{id} answers.
 */

type Json = Record<string, unknown>;
type Intent = {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: string;
  payment_method: string | null;
  metadata: Record<string, string>;
  description: string | null;
  receipt_email: string | null;
  latest_charge: string | null;
  last_payment_error: Json | null;
  created: number;
  livemode: false;
};
type Refund = {
  id: string;
  object: 'refund';
  amount: number;
  currency: string;
  payment_intent: string;
  charge: string;
  status: string;
  reason: string | null;
  metadata: Record<string, string>;
  created: number;
};
export type FakeEvent = {
  id: string;
  object: 'event';
  type: string;
  created: number;
  data: { object: Json };
  livemode: false;
  api_version: string;
  pending_webhooks: number;
};

export type WebhookTarget = string | ((request: Request) => Promise<Response>);
export type Delivery = { eventId: string; type: string; status: number };

export type FakeStripeOptions = {
  webhookSecret?: string;
  /** Where webhooks go; without one they are only recorded (deliver them by hand with `deliver`). */
  webhook?: WebhookTarget;
  /** Deliver each event automatically as it happens. Default true when `webhook` is set. */
  autoDeliver?: boolean;
  delayMs?: number;
};

const DECLINES: Record<string, { decline_code: string; message: string }> = {
  pm_card_chargeDeclined: { decline_code: 'generic_decline', message: 'Your card was declined.' },
  pm_card_visa_chargeDeclined: { decline_code: 'generic_decline', message: 'Your card was declined.' },
  pm_card_chargeDeclinedInsufficientFunds: {
    decline_code: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
  pm_card_visa_chargeDeclinedInsufficientFunds: {
    decline_code: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
};
/** Our own ids for wallet payments (Stripe has no test PaymentMethod ids for wallets: its test cards pay in the sheet). */
export const WALLET_PAYMENT_METHODS = {
  applePay: 'pm_fake_apple_pay_visa',
  googlePay: 'pm_fake_google_pay_mastercard',
} as const;
const SUCCEEDS = new Set([
  'pm_card_visa',
  'pm_card_mastercard',
  'pm_card_amex',
  WALLET_PAYMENT_METHODS.applePay,
  WALLET_PAYMENT_METHODS.googlePay,
]);

/** The card behind each test PaymentMethod, as Stripe test mode describes it (wallet: card.wallet.type). */
const CARDS: Record<string, { brand: string; last4: string; wallet?: string }> = {
  pm_card_visa: { brand: 'visa', last4: '4242' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444' },
  pm_card_amex: { brand: 'amex', last4: '8431' },
  pm_card_delayed: { brand: 'visa', last4: '4242' },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002' },
  pm_card_visa_chargeDeclined: { brand: 'visa', last4: '0002' },
  pm_card_chargeDeclinedInsufficientFunds: { brand: 'visa', last4: '9995' },
  pm_card_visa_chargeDeclinedInsufficientFunds: { brand: 'visa', last4: '9995' },
  [WALLET_PAYMENT_METHODS.applePay]: { brand: 'visa', last4: '4242', wallet: 'apple_pay' },
  [WALLET_PAYMENT_METHODS.googlePay]: { brand: 'mastercard', last4: '4444', wallet: 'google_pay' },
};

/** A PaymentMethod object for a known test id, shaped like Stripe's (the fields this project reads and a few more). */
export function fakePaymentMethod(id: string): Json | null {
  const card = CARDS[id];
  if (!card) return null;
  return {
    id,
    object: 'payment_method',
    type: 'card',
    billing_details: { address: null, email: null, name: null, phone: null },
    card: {
      brand: card.brand,
      last4: card.last4,
      exp_month: 12,
      exp_year: 2034,
      funding: 'credit',
      country: 'US',
      wallet: card.wallet ? { type: card.wallet, [card.wallet]: {}, dynamic_last4: null } : null,
    },
    created: 1_700_000_000,
    customer: null,
    livemode: false,
  };
}

/** Stripe's form encoding (a[b][c]=1&list[0]=x) back to nested objects. */
export function parseStripeForm(body: string): Json {
  const out: Json = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = rawKey.split(/\[|\]\[|\]/).filter((part) => part !== '');
    let node: Json = out;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Json;
    });
  }
  return out;
}

export class FakeStripe {
  readonly secretKey = 'sk_test_fake_admitone';
  readonly webhookSecret: string;
  readonly intents = new Map<string, Intent>();
  readonly refunds = new Map<string, Refund>();
  readonly events: FakeEvent[] = [];
  readonly deliveries: Delivery[] = [];
  /** Every API request, in order: method, path, idempotency key. */
  readonly requests: { method: string; path: string; idempotencyKey: string | null; replayed: boolean }[] = [];
  url = '';
  webhook: WebhookTarget | undefined;
  autoDeliver: boolean;
  private readonly delayMs: number;
  private readonly idempotency = new Map<string, { params: string; status: number; body: string }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly pendingDeliveries = new Set<Promise<void>>();
  private failures: { count: number; status: number; afterProcessing: boolean; path?: string } = {
    count: 0,
    status: 500,
    afterProcessing: false,
  };
  private server = createServer((req, res) => void this.handle(req, res));
  private seq = 0;

  constructor(options: FakeStripeOptions = {}) {
    this.webhookSecret = options.webhookSecret ?? 'whsec_fake_admitone_0123456789';
    this.webhook = options.webhook;
    this.autoDeliver = options.autoDeliver ?? Boolean(options.webhook);
    this.delayMs = options.delayMs ?? 200;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    await this.settled();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The real SDK, pointed here. */
  client(): Stripe {
    const { port } = new URL(this.url);
    return new Stripe(this.secretKey, {
      host: '127.0.0.1',
      port: Number(port),
      protocol: 'http',
      maxNetworkRetries: 0,
    });
  }

  /** Successful charges so far (what a buyer would see on their statement). */
  succeededCharges(): number {
    return [...this.intents.values()].filter((i) => i.status === 'succeeded').length;
  }

  refundedAmount(intentId: string): number {
    return [...this.refunds.values()]
      .filter((r) => r.payment_intent === intentId && r.status === 'succeeded')
      .reduce((n, r) => n + r.amount, 0);
  }

  /**
   * The next `count` API requests fail with `status`. With `afterProcessing` the request is carried out first and
   * only the answer is lost, like a timeout after Stripe charged the card. With `path`, only requests to it count.
   */
  failNext(count: number, options: { status?: number; afterProcessing?: boolean; path?: string } = {}): void {
    this.failures = {
      count,
      status: options.status ?? 500,
      afterProcessing: options.afterProcessing ?? false,
      path: options.path,
    };
  }

  /** Waits until every automatic delivery in flight has been answered. */
  async settled(): Promise<void> {
    while (this.pendingDeliveries.size) await Promise.all([...this.pendingDeliveries]);
  }

  /** Sends one recorded event to the webhook target, signed (or with a broken signature). */
  async deliver(eventId: string, options: { badSignature?: boolean; target?: WebhookTarget } = {}): Promise<Response> {
    const event = this.events.find((e) => e.id === eventId);
    if (!event) throw new Error(`fake stripe: no event ${eventId}`);
    const target = options.target ?? this.webhook;
    if (!target) throw new Error('fake stripe: no webhook target');
    const payload = JSON.stringify(event, null, 2);
    const signature = options.badSignature
      ? Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_not_the_right_secret' })
      : Stripe.webhooks.generateTestHeaderString({ payload, secret: this.webhookSecret });
    const request = new Request(typeof target === 'string' ? target : 'http://localhost/api/webhooks/stripe', {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': signature,
        'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
      },
      body: payload,
    });
    const response = typeof target === 'string' ? await fetch(request) : await target(request);
    this.deliveries.push({ eventId, type: event.type, status: response.status });
    return response;
  }

  /** The bank answers now: every `processing` PaymentIntent succeeds (tests that must not depend on timers). */
  settleProcessing(): number {
    const waiting = [...this.intents.values()].filter((i) => i.status === 'processing');
    for (const intent of waiting) this.succeed(intent);
    return waiting.length;
  }

  eventsOfType(type: string): FakeEvent[] {
    return this.events.filter((e) => e.type === type);
  }

  private id(prefix: string): string {
    return `${prefix}_fake${(++this.seq).toString().padStart(6, '0')}${Math.random().toString(36).slice(2, 8)}`;
  }

  /** Records (and with autoDeliver, sends) an event; tests use it to craft late or out-of-order ones. */
  emit(type: string, object: Json): FakeEvent {
    const event: FakeEvent = {
      id: this.id('evt'),
      object: 'event',
      type,
      created: Math.floor(Date.now() / 1000),
      data: { object: structuredClone(object) },
      livemode: false,
      api_version: '2026-10-28.endive',
      pending_webhooks: 1,
    };
    this.events.push(event);
    if (this.autoDeliver && this.webhook) {
      const p = this.deliver(event.id)
        .then(() => undefined)
        .catch(() => undefined)
        .finally(() => this.pendingDeliveries.delete(p));
      this.pendingDeliveries.add(p);
    }
    return event;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const [path, query = ''] = (req.url ?? '/').split('?') as [string, string?];
    const method = req.method ?? 'GET';
    const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
    const send = (status: number, json: unknown, replayed = false) => {
      this.requests.push({ method, path, idempotencyKey: key, replayed });
      res.writeHead(status, {
        'content-type': 'application/json',
        'request-id': this.id('req'),
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      });
      res.end(typeof json === 'string' ? json : JSON.stringify(json));
    };

    if (!/^Bearer sk_test_/.test(req.headers.authorization ?? '')) {
      send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } });
      return;
    }
    const failing =
      this.failures.count > 0 && (!this.failures.path || path === this.failures.path) ? this.failures : null;
    if (failing) this.failures = { ...failing, count: failing.count - 1 };
    if (failing && !failing.afterProcessing) {
      send(failing.status, {
        error: { type: 'api_error', message: 'Something went wrong on Stripe’s end (injected by the test).' },
      });
      return;
    }

    const scope = key && method === 'POST' ? `${path} ${key}` : null;
    if (scope) {
      const previous = this.idempotency.get(scope);
      if (previous) {
        if (previous.params !== body) {
          send(400, {
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            },
          });
        } else {
          send(previous.status, previous.body, true);
        }
        return;
      }
    }

    const [status, json] = this.route(method, path, parseStripeForm(method === 'GET' ? query : body));
    if (scope && status < 500) this.idempotency.set(scope, { params: body, status, body: JSON.stringify(json) });
    if (failing?.afterProcessing) {
      send(failing.status, { error: { type: 'api_error', message: 'The answer was lost (injected by the test).' } });
      return;
    }
    send(status, json);
  }

  private route(method: string, path: string, params: Json): [number, Json] {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/payment_intents') return expanded(this.createIntent(params), params);
    if ((m = /^\/v1\/payment_intents\/([^/]+)\/confirm$/.exec(path)) && method === 'POST')
      return expanded(this.confirmIntent(m[1]!, params), params);
    if ((m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path)) && method === 'GET') {
      const intent = this.intents.get(m[1]!);
      return intent ? expanded([200, intent], params) : missing('payment_intent', m[1]!);
    }
    if ((m = /^\/v1\/payment_methods\/([^/]+)$/.exec(path)) && method === 'GET') {
      const paymentMethod = fakePaymentMethod(m[1]!);
      return paymentMethod ? [200, paymentMethod] : missing('payment_method', m[1]!);
    }
    if (method === 'POST' && path === '/v1/refunds') return this.createRefund(params);
    if ((m = /^\/v1\/refunds\/([^/]+)$/.exec(path)) && method === 'GET') {
      const refund = this.refunds.get(m[1]!);
      return refund ? [200, refund] : missing('refund', m[1]!);
    }
    return [
      404,
      { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` } },
    ];
  }

  private createIntent(params: Json): [number, Json] {
    const amount = Number(params.amount);
    if (!Number.isInteger(amount) || amount < 1) return invalid('amount', 'Amount must be a positive integer.');
    if (typeof params.currency !== 'string' || !/^[a-z]{3}$/.test(params.currency))
      return invalid('currency', 'Invalid currency.');
    const intent: Intent = {
      id: this.id('pi'),
      object: 'payment_intent',
      amount,
      amount_received: 0,
      currency: params.currency,
      status: 'requires_payment_method',
      payment_method: null,
      metadata: (params.metadata as Record<string, string>) ?? {},
      description: (params.description as string) ?? null,
      receipt_email: (params.receipt_email as string) ?? null,
      latest_charge: null,
      last_payment_error: null,
      created: Math.floor(Date.now() / 1000),
      livemode: false,
    };
    this.intents.set(intent.id, intent);
    this.emit('payment_intent.created', intent);
    if (typeof params.payment_method === 'string') {
      intent.status = 'requires_confirmation';
      if (params.confirm === 'true') return this.confirm(intent, params.payment_method);
      intent.payment_method = params.payment_method;
    }
    return [200, intent];
  }

  private confirmIntent(id: string, params: Json): [number, Json] {
    const intent = this.intents.get(id);
    if (!intent) return missing('payment_intent', id);
    if (!['requires_payment_method', 'requires_confirmation'].includes(intent.status)) {
      return [
        400,
        {
          error: {
            type: 'invalid_request_error',
            code: 'payment_intent_unexpected_state',
            message: `This PaymentIntent's status is ${intent.status}.`,
            payment_intent: intent,
          },
        },
      ];
    }
    const pm = (params.payment_method as string | undefined) ?? intent.payment_method;
    if (!pm) return invalid('payment_method', 'You must provide a payment method.');
    return this.confirm(intent, pm);
  }

  private confirm(intent: Intent, paymentMethod: string): [number, Json] {
    intent.payment_method = paymentMethod;
    const decline = DECLINES[paymentMethod];
    if (decline) {
      const charge = this.id('ch');
      intent.status = 'requires_payment_method';
      intent.latest_charge = charge;
      intent.last_payment_error = {
        type: 'card_error',
        code: 'card_declined',
        decline_code: decline.decline_code,
        message: decline.message,
        charge,
      };
      this.emit('payment_intent.payment_failed', intent);
      return [
        402,
        {
          error: {
            type: 'card_error',
            code: 'card_declined',
            decline_code: decline.decline_code,
            message: decline.message,
            charge,
            payment_intent: intent,
          },
        },
      ];
    }
    if (SUCCEEDS.has(paymentMethod)) {
      this.succeed(intent);
      return [200, intent];
    }
    if (paymentMethod === 'pm_card_delayed') {
      intent.status = 'processing';
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (intent.status === 'processing') this.succeed(intent);
      }, this.delayMs);
      this.timers.add(timer);
      return [200, intent];
    }
    return [
      400,
      {
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          param: 'payment_method',
          message: `No such PaymentMethod: '${paymentMethod}'`,
        },
      },
    ];
  }

  private succeed(intent: Intent): void {
    intent.status = 'succeeded';
    intent.amount_received = intent.amount;
    intent.latest_charge = this.id('ch');
    intent.last_payment_error = null;
    this.emit('payment_intent.succeeded', intent);
  }

  private createRefund(params: Json): [number, Json] {
    const intent = this.intents.get(String(params.payment_intent ?? ''));
    if (!intent) return missing('payment_intent', String(params.payment_intent));
    if (intent.status !== 'succeeded')
      return invalid(
        'payment_intent',
        `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
      );
    const remaining = intent.amount_received - this.refundedAmount(intent.id);
    const amount = params.amount === undefined ? remaining : Number(params.amount);
    if (remaining <= 0)
      return [
        400,
        {
          error: {
            type: 'invalid_request_error',
            code: 'charge_already_refunded',
            message: `Charge ${intent.latest_charge} has already been refunded.`,
          },
        },
      ];
    if (!Number.isInteger(amount) || amount < 1 || amount > remaining)
      return invalid('amount', `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining}).`);
    const refund: Refund = {
      id: this.id('re'),
      object: 'refund',
      amount,
      currency: intent.currency,
      payment_intent: intent.id,
      charge: intent.latest_charge!,
      status: 'succeeded',
      reason: (params.reason as string) ?? null,
      metadata: (params.metadata as Record<string, string>) ?? {},
      created: Math.floor(Date.now() / 1000),
    };
    this.refunds.set(refund.id, refund);
    this.emit('refund.created', refund);
    this.emit('charge.refunded', {
      id: intent.latest_charge,
      object: 'charge',
      amount: intent.amount_received,
      amount_refunded: this.refundedAmount(intent.id),
      currency: intent.currency,
      payment_intent: intent.id,
      refunded: this.refundedAmount(intent.id) === intent.amount_received,
      metadata: intent.metadata,
      refunds: { object: 'list', data: [refund], has_more: false },
    });
    return [200, refund];
  }
}

/** `expand[]=payment_method` (sent as expand[0]=...): the answer's PaymentIntent carries the PaymentMethod object. */
function expanded([status, json]: [number, Json], params: Json): [number, Json] {
  const expand = Object.values((params.expand as Record<string, string> | undefined) ?? {});
  if (status !== 200 || !expand.includes('payment_method') || typeof json.payment_method !== 'string')
    return [status, json];
  return [status, { ...json, payment_method: fakePaymentMethod(json.payment_method) ?? json.payment_method }];
}

function missing(kind: string, id: string): [number, Json] {
  return [
    404,
    { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${kind}: '${id}'` } },
  ];
}

function invalid(param: string, message: string): [number, Json] {
  return [400, { error: { type: 'invalid_request_error', code: 'parameter_invalid', param, message } }];
}

/** Starts a fake Stripe on a free local port. */
export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  return new FakeStripe(options).start();
}
