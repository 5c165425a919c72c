import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@/lib/observability/log';
import { requestContext } from '@/lib/observability/request-context';

/** Issue 15, item 12: what the logger itself lets into a line, whoever calls it and at whatever level. */
describe('log lines', () => {
  function capture() {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    return { logger: createLogger(sink, 'debug'), output: () => lines.join('') };
  }
  const sessionData = 'eyJzZXNzaW9uIjp7InNlc3Npb24iOnsidG9rZW4iOiJzZWNyZXQtc2Vzc2lvbi10b2tlbiJ9fX0';
  const setCookie = `better-auth.session_data=${sessionData}; Path=/; HttpOnly; SameSite=Lax`;

  it('carries the request id and route from the request context, never the cookies it holds for the response', () => {
    const { logger, output } = capture();
    requestContext.run({ requestId: 'req-12345678', route: 'orders.list', setCookies: [setCookie] }, () => {
      logger.warn({ status: 503 }, 'slow request');
      logger.error({ err: new Error('boom') }, 'unhandled error');
    });
    expect(output()).toContain('"requestId":"req-12345678"');
    expect(output()).toContain('"route":"orders.list"');
    expect(output()).not.toContain(sessionData);
    expect(output()).not.toContain('setCookies');
  });

  it('censors secrets under their usual names, wherever a caller puts them', () => {
    const { logger, output } = capture();
    logger.warn(
      {
        authorization: 'Bearer live-bearer-secret',
        headers: {
          cookie: 'better-auth.session_token=tok-secret',
          'set-cookie': setCookie,
          'idempotency-key': 'idem-secret-key',
        },
        request: { idempotencyKey: 'idem-secret-key-2', card: { number: '4242424242424242' } },
        setCookies: [setCookie],
        password: 'hunter2-password',
      },
      'something odd',
    );
    for (const secret of [
      'live-bearer-secret',
      'tok-secret',
      sessionData,
      'idem-secret-key',
      '4242424242424242',
      'hunter2-password',
    ])
      expect(output()).not.toContain(secret);
  });

  it('serialises errors without the values that travel with them (statement parameters, key details, headers)', () => {
    const { logger, output } = capture();
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint'), {
      code: '23505',
      detail: 'Key (user_id, scope, key)=(u1, checkout, idem-from-detail) already exists.',
      parameters: ['buyer@example.test', 'idem-from-parameters'],
      query: 'insert into idempotency_keys values ($1, $2)',
    });
    const httpError = Object.assign(new Error('upstream failed'), {
      headers: { 'set-cookie': setCookie },
      response: { body: 'tok-in-body' },
    });
    logger.error({ err: Object.assign(new Error('failed query'), { cause: pgError }) }, 'database error');
    // Drizzle's own wrapper writes the parameters into its message.
    logger.warn(
      {
        err: Object.assign(
          new Error('Failed query: insert into events values ($1, $2)\nparams: Gala,card 4000056655665556'),
          { params: ['Gala', 'card 4000056655665556'] },
        ),
      },
      'refused',
    );
    logger.error({ err: httpError }, 'upstream error');
    expect(output()).toContain('failed query');
    expect(output()).toContain('"code":"23505"');
    for (const secret of [
      'idem-from-detail',
      'idem-from-parameters',
      'buyer@example.test',
      sessionData,
      'tok-in-body',
      '4000056655665556',
    ])
      expect(output()).not.toContain(secret);
    expect(output()).toContain('Failed query: insert into events values ($1, $2)');
  });
});
