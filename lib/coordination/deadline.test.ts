import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CircuitBreaker } from '@/lib/coordination/breaker';
import { TIMED_OUT, withinDeadline } from '@/lib/coordination/deadline';

/** A server that answers each line at once (`ok`) or never (`hang`), standing in for a store over TCP. */
let server: net.Server;
let port = 0;
beforeAll(async () => {
  server = net.createServer((socket) =>
    socket.on('data', (d) => (d.toString().startsWith('hang') ? undefined : socket.write('pong\n'))),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function ask(what: 'ping' | 'hang'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`${what}\n`));
    socket.once('data', (d) => {
      resolve(d.toString().trim());
      socket.destroy();
    });
    socket.once('error', reject);
    setTimeout(() => socket.destroy(), 2_000).unref();
  });
}

/** Keeps the event loop busy, as a process serving many requests does. */
const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('coordinator deadlines measure the store, not the event loop', () => {
  it('takes an answer that arrived while the loop was busy past the deadline', async () => {
    const answer = ask('ping');
    const waited = withinDeadline(answer, 30);
    // The reply lands in the socket within a millisecond; the loop only gets to it after 150 ms, when the timer is due too.
    await new Promise((resolve) => setTimeout(resolve, 5));
    busy(150);
    expect(await waited).toBe('pong');
  });

  it('times out when the store really does not answer', async () => {
    const started = performance.now();
    expect(await withinDeadline(ask('hang'), 30)).toBe(TIMED_OUT);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('keeps the breaker closed through a busy loop, and opens it when the store stops answering', async () => {
    const breaker = new CircuitBreaker({ timeoutMs: 30, failureThreshold: 3, resetAfterMs: 10_000 });
    for (let i = 0; i < 5; i++) {
      const outcome = breaker.run(() => ask('ping'));
      await new Promise((resolve) => setTimeout(resolve, 5));
      busy(100);
      expect(await outcome).toMatchObject({ ok: true, value: 'pong' });
    }
    expect(breaker.current).toBe('closed');
    for (let i = 0; i < 3; i++)
      expect(await breaker.run(() => ask('hang'))).toMatchObject({ ok: false, reason: 'timeout' });
    expect(breaker.current).toBe('open');
  });
});
