import http from 'node:http';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFetch, type ClientInit } from '../support/app-client';
import { ensureBuilt, startAppServer, type AppServer } from '../support/app-server';
import { useTestDatabase } from '../support/database';
import { createUser } from '../support/fixtures';
import { sessionCookies, withSetCookies } from '../support/sessions';
import { realDatabaseUrl, realRedisUrl } from '../support/services';

/**
 * Issue 15 against the built app, the way an attacker tried it: nothing but HTTP. Two production servers on one
 * database and Redis (two instances). Items: 1 (the sign-in form's action posted by a script), 2 (open redirect),
 * 4 (server actions and APIs from another origin), 5 (a chunked webhook body), 9 (sign-out seen by the other
 * instance), 13 (metrics, health, bench), 14 (the orders desk page with a NUL).
 */
const PORT_A = Number(process.env.SECURITY_TEST_PORT ?? 3441);
const PORT_B = PORT_A + 1;
const METRICS_TOKEN = 'metrics-token-for-the-http-test-0123456789';
const WEBHOOK_SECRET = 'whsec_security_over_http_long_enough';
const PASSWORD = 'correct horse battery staple';

describe.skipIf(!realDatabaseUrl || !realRedisUrl)('security over HTTP', () => {
  const { handle, url } = useTestDatabase({ reset: false });
  let a: AppServer;
  let b: AppServer;
  const origin = (port: number) => `http://localhost:${port}`;
  const run = Math.floor(Math.random() * 250);
  let hop = 0;
  /** Each simulated client has an address of its own, as the trusted proxy in front would say. */
  const address = () => `198.18.${run}.${(hop++ % 250) + 1}`;

  beforeAll(async () => {
    await ensureBuilt();
    const env = (port: number) => ({
      DATABASE_URL: url(),
      REDIS_URL: realRedisUrl!,
      APP_URL: origin(port),
      TRUSTED_PROXIES: '127.0.0.1/8,::1',
      METRICS_TOKEN,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    [a, b] = await Promise.all([startAppServer(PORT_A, env(PORT_A)), startAppServer(PORT_B, env(PORT_B))]);
  }, 400_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const api = (server: AppServer, path: string, init: Omit<ClientInit, 'from'> & { from?: string } = {}) =>
    clientFetch(`${server.url}${path}`, { ...init, from: init.from ?? address() });
  const signUpVia = async (server: AppServer, email = `http-${crypto.randomUUID().slice(0, 10)}@example.test`) => {
    const res = await api(server, '/api/auth/sign-up/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: origin(server.port) },
      body: JSON.stringify({ email, password: PASSWORD, name: 'Http Person' }),
    });
    expect(res.status).toBe(200);
    return { email, cookie: withSetCookies('', res) };
  };

  /** The sign-in page's form as a browser without JavaScript (or a script) submits it: the hidden action fields too. */
  async function signInForm(server: AppServer, email: string, password: string, extra: Record<string, string> = {}) {
    const page = await (await api(server, '/sign-in?next=%2Forders')).text();
    const form = new FormData();
    for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g))
      form.append(name!, (value ?? '').replaceAll('&quot;', '"'));
    form.append('email', email);
    form.append('password', password);
    // The page's own origin, as the browser that loaded it would send (Next compares it with the Host header too).
    return api(server, '/sign-in', { method: 'POST', body: form, headers: { origin: server.url, ...extra } });
  }

  it('item 1: the sign-in form posted by a script is throttled like the API, and the right password waits too', async () => {
    const { email } = await signUpVia(a);
    const answers: string[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await signInForm(a, email, `wrong-guess-${i}`);
      const html = await res.text();
      answers.push(
        /Too many sign-in attempts/.test(html) ? 'limited' : /do not match/.test(html) ? 'wrong' : `${res.status}`,
      );
    }
    // Five a minute: the sixth is refused, or, when the tries straddle the limiter's window boundary (a sliding
    // window weighs the previous minute's count), the seventh; from then on every one.
    expect(answers.slice(0, 5)).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'wrong']);
    expect(answers.slice(6)).toEqual(['limited', 'limited']);
    expect(['wrong', 'limited']).toContain(answers[5]);
    const right = await signInForm(a, email, PASSWORD);
    expect(right.headers.getSetCookie().some((c) => c.includes('session_token='))).toBe(false);
    expect(await right.text()).toMatch(/Too many sign-in attempts/);
  });

  it('item 1: an attacker’s wrong tries without X-Forwarded-For do not lock out anybody else (no shared bucket)', async () => {
    const victim = await signUpVia(a);
    const bystander = await signUpVia(a);
    const signIn = (email: string, password: string) =>
      fetch(`${a.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: origin(PORT_A) },
        body: JSON.stringify({ email, password }),
      });
    for (let i = 0; i < 4; i++) expect((await signIn(victim.email, `wrong-${i}-password`)).status).toBe(401);
    expect((await signIn(bystander.email, PASSWORD)).status).toBe(200);
  });

  it('item 2: never redirects a signed-in visitor off-site, whatever `next` holds, and never answers 500', async () => {
    const { cookie } = await signUpVia(a);
    for (const page of ['/sign-in', '/sign-up']) {
      for (const next of [
        '%2F%09%2Fevil.example',
        '%2F%5Cevil.example',
        '%2F%2Fevil.example',
        '%2F.%2F%2Fevil.example',
        '%2F%0D%0A%2Fevil.example',
        'https%3A%2F%2Fevil.example',
        '%2Fok%0D%0ASet-Cookie%3A%20x%3D1',
      ]) {
        const res = await api(a, `${page}?next=${next}`, { cookie });
        expect(res.status, `${page}?next=${next}`).toBeGreaterThanOrEqual(300);
        expect(res.status, `${page}?next=${next}`).toBeLessThan(400);
        const location = res.headers.get('location') ?? '';
        expect([a.url, origin(PORT_A)], `${page}?next=${next} -> ${location}`).toContain(
          new URL(location, a.url).origin,
        );
        expect(res.headers.get('set-cookie') ?? '').not.toContain('x=1');
      }
    }
    expect((await api(a, '/sign-in?next=%2Forders%3Fpage%3D2', { cookie })).headers.get('location')).toMatch(
      /\/orders\?page=2$/,
    );
  });

  it('item 4: a server action from another origin is 403, not 500; so is an API state change', async () => {
    const { email, cookie } = await signUpVia(a);
    const foreign = origin(PORT_A + 10);
    const mpa = await signInForm(a, email, PASSWORD, { origin: foreign });
    expect(mpa.status).toBe(403);
    expect(await mpa.json()).toMatchObject({ code: 'FORBIDDEN' });
    const fetchAction = await api(a, '/sign-in', {
      method: 'POST',
      cookie,
      headers: {
        origin: foreign,
        'next-action': '6037ed8af66b0fc7381e5736a3938af7e5b6a56a87',
        'content-type': 'text/plain;charset=UTF-8',
      },
      body: '[]',
    });
    expect(fetchAction.status).toBe(403);
    // Our own origin, sent to the server under another host name: Next's action check would answer 500. fetch()
    // cannot set Host, so these go out through node:http.
    for (const [originOfOurs, host] of [
      [origin(PORT_A), `127.0.0.1:${PORT_A}`],
      [`http://127.0.0.1:${PORT_A}`, `localhost:${PORT_A}`],
    ] as const) {
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port: PORT_A,
            path: '/sign-in',
            method: 'POST',
            headers: {
              host,
              origin: originOfOurs,
              cookie,
              'next-action': '6037ed8af66b0fc7381e5736a3938af7e5b6a56a87',
              'content-type': 'text/plain;charset=UTF-8',
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.end('[]');
      });
      expect(status, `Origin ${originOfOurs}, Host ${host}`).toBe(403);
    }
    const signOut = await api(a, '/sign-out', {
      method: 'POST',
      cookie,
      headers: { origin: foreign, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(signOut.status).toBe(403);
    const cancel = await api(a, `/api/orders/${crypto.randomUUID()}/cancel`, {
      method: 'POST',
      cookie,
      headers: { origin: foreign },
    });
    expect(cancel.status).toBe(403);
    const textPlain = await api(a, `/api/orders/${crypto.randomUUID()}/cancel`, {
      method: 'POST',
      cookie,
      headers: { origin: origin(PORT_A), 'content-type': 'text/plain' },
      body: 'x',
    });
    expect(textPlain.status).toBe(415);
    // The session is intact: none of that signed anyone out.
    expect((await api(a, '/api/orders', { cookie })).status).toBe(200);
  });

  it('item 5: a 300 MB chunked webhook body is cut off after half a megabyte, without the memory', async () => {
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${a.pid}/status`, 'utf8'))![1]) * 1024;
    const before = rss();
    const started = Date.now();
    const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = http.request(
        `${a.url}/api/webhooks/stripe`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'stripe-signature': 't=1,v1=00',
            'transfer-encoding': 'chunked',
          },
        },
        (res) => {
          answered = true;
          res.resume();
          resolve({ status: res.statusCode!, sent });
          req.destroy();
        },
      );
      req.on('error', (error) => (answered ? undefined : reject(error)));
      const chunk = Buffer.alloc(256 * 1024, 0x61);
      const pump = () => {
        while (!answered && sent < 300 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
    console.info(
      `item 5: 413 after ${Date.now() - started} ms; ${(sent / 1048576).toFixed(1)} MB sent before the answer; server RSS ${((rss() - before) / 1048576).toFixed(1)} MB more`,
    );
    expect(status).toBe(413);
    expect(sent).toBeLessThan(100 * 1024 * 1024);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(rss() - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('item 9: signing out on one instance ends the session on the other within seconds', async () => {
    const { email } = await signUpVia(a);
    const signedIn = await api(a, '/api/auth/sign-in/email', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: origin(PORT_A) },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    const stolen = withSetCookies('', signedIn);
    expect(stolen).toMatch(/session_data=/);
    // Instance B verified and cached the session.
    expect((await api(b, '/api/orders', { cookie: stolen })).status).toBe(200);
    expect(
      (
        await api(a, '/api/auth/sign-out', {
          method: 'POST',
          cookie: stolen,
          headers: { 'content-type': 'application/json', origin: origin(PORT_A) },
          body: '{}',
        })
      ).status,
    ).toBe(200);
    expect((await api(a, '/api/orders', { cookie: stolen })).status).toBe(401);
    const signedOutAt = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - signedOutAt < 10_000) {
      status = (await api(b, '/api/orders', { cookie: stolen })).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 100));
    }
    console.info(
      `item 9: the other instance refused the signed-out session ${Date.now() - signedOutAt} ms after sign-out`,
    );
    expect(status).toBe(401);
    expect(Date.now() - signedOutAt).toBeLessThan(3_000);
  });

  it('item 13: metrics need the token, health tells the public up or down, and the bench route is off', async () => {
    expect((await api(a, '/api/metrics')).status).toBe(401);
    expect((await api(a, '/api/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(200);
    const health = await api(a, '/api/health');
    expect(await health.json()).toEqual({ status: 'up' });
    const detailed = await api(a, '/api/health/ready', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(await detailed.json()).toMatchObject({ status: 'ok', database: { ok: true } });
    expect((await api(a, '/api/bench/noop')).status).toBe(404);
  });

  it('item 14: the orders desk page with a NUL in its search shows a field error instead of a 500', async () => {
    const admin = await createUser(handle().db, { role: 'admin' });
    const [cookie] = await sessionCookies(handle().db, [admin.id]);
    for (const q of ['%00x', 'ab%0Acd']) {
      const res = await api(a, `/admin/orders?q=${q}`, { cookie });
      expect(res.status, q).toBe(200);
      expect(await res.text()).toMatch(/Remove control characters/);
    }
    expect(a.output()).not.toMatch(/unhandled error|"level":50/);
  });
});
