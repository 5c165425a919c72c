import { NextRequest } from 'next/server';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as webhookRoute } from '@/app/api/webhooks/stripe/route';
import { resetEnvForTests } from '@/lib/env';
import { useTestDatabase } from '../support/database';

/**
 * Issue 15, item 5: the Stripe webhook reads its raw body with a hard limit whether or not a length was declared:
 * a chunked body of hundreds of megabytes is refused after half a megabyte, without being buffered.
 */
const SECRET = 'whsec_body_limit_test_secret_long_enough';
const LIMIT = 512 * 1024;

describe('the Stripe webhook body limit', () => {
  useTestDatabase({ reset: false });
  beforeAll(() => {
    process.env.STRIPE_WEBHOOK_SECRET = SECRET;
    resetEnvForTests();
  });
  afterAll(() => {
    delete process.env.STRIPE_WEBHOOK_SECRET;
    resetEnvForTests();
  });

  /** A body of `total` bytes that says nothing of its length (as chunked transfer encoding), counting what was read. */
  function endless(total: number) {
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    return { stream, sent: () => sent };
  }

  it('stops reading a 300 MB chunked body just past the limit and answers 413', async () => {
    const body = endless(300 * 1024 * 1024);
    const request = new NextRequest('http://localhost:3000/api/webhooks/stripe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00', 'transfer-encoding': 'chunked' },
      body: body.stream,
      duplex: 'half',
    } as ConstructorParameters<typeof NextRequest>[1]);
    const started = performance.now();
    const response = await webhookRoute(request, { params: Promise.resolve({}) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: LIMIT });
    expect(body.sent()).toBeLessThanOrEqual(LIMIT + 3 * 64 * 1024);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses a declared length over the limit before reading anything, and still verifies a real event', async () => {
    const body = endless(10 * 1024 * 1024);
    const declared = new NextRequest('http://localhost:3000/api/webhooks/stripe', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': String(10 * 1024 * 1024),
        'stripe-signature': 't=1,v1=00',
      },
      body: body.stream,
      duplex: 'half',
    } as ConstructorParameters<typeof NextRequest>[1]);
    expect((await webhookRoute(declared, { params: Promise.resolve({}) })).status).toBe(413);
    expect(body.sent()).toBeLessThanOrEqual(2 * 64 * 1024);

    const payload = JSON.stringify({
      id: `evt_${crypto.randomUUID().replace(/-/g, '')}`,
      type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_limit_test', metadata: { order_id: 'none' } } },
    });
    const signed = new NextRequest('http://localhost:3000/api/webhooks/stripe', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET }),
      },
      body: payload,
    });
    const answer = await webhookRoute(signed, { params: Promise.resolve({}) });
    expect(await answer.json()).toMatchObject({ outcome: 'unknown_payment' });
    expect(answer.status).toBe(200);
  });
});
