/** One scripted buyer through the public API (for the scenarios that need a particular shopper at a particular time). */
import { HttpClient, mergeCookies, type Answer } from './http-client';

export class Shopper {
  constructor(
    private readonly client: HttpClient,
    public cookie: string,
    private readonly ip: string,
  ) {}

  async call(
    kind: string,
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    const answer = await this.client.request(kind, method, path, {
      body: options.body,
      headers: { cookie: this.cookie, 'x-forwarded-for': this.ip, ...options.headers },
    });
    this.cookie = mergeCookies(this.cookie, answer.headers);
    return answer;
  }

  /** Joins the waiting room and polls until admitted (throws after `maxMs`). */
  async admit(eventId: string, maxMs = 120_000): Promise<void> {
    const until = Date.now() + maxMs;
    let answer = await this.call('scripted.join', 'POST', `/api/events/${eventId}/queue`);
    while (Date.now() < until) {
      const state = (answer.body as { state?: string }).state;
      if (answer.status === 200 && state === 'admitted') return;
      await new Promise((r) =>
        setTimeout(
          r,
          answer.status === 200 ? Math.max(300, (answer.body as { pollAfterMs?: number }).pollAfterMs ?? 1_000) : 1_000,
        ),
      );
      answer = await this.call('scripted.poll', state === 'none' ? 'POST' : 'GET', `/api/events/${eventId}/queue`);
    }
    throw new Error(`not admitted within ${maxMs} ms: ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  hold(eventId: string, seatIds: number[]): Promise<Answer> {
    return this.call('scripted.hold', 'POST', `/api/events/${eventId}/holds`, { body: { seatIds } });
  }

  checkout(holdId: string, key: string, paymentMethodId = 'pm_card_visa'): Promise<Answer> {
    return this.call('scripted.checkout', 'POST', '/api/checkout', {
      body: { holdId, paymentMethodId },
      headers: { 'idempotency-key': key },
    });
  }
}
