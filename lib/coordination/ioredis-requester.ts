import 'server-only';
import type { Requester, UpstashRequest, UpstashResponse } from '@upstash/redis';
import IORedis from 'ioredis';

type Command = (string | number)[];

const reply = (error: Error | null | undefined, result: unknown): UpstashResponse<unknown> =>
  error ? { error: error.message } : { result };

/**
 * Lets the @upstash/redis client speak to a plain Redis over TCP: the same commands, scripts and replies as its
 * REST API (POST /, /pipeline, /multi-exec), without an HTTP hop. Replies are not base64-encoded.
 */
export class IoRedisRequester implements Requester {
  readonly client: IORedis;
  private ready: Promise<void>;

  constructor(url: string, options: { commandTimeoutMs?: number } = {}) {
    this.client = new IORedis(url, {
      lazyConnect: true,
      // Fail fast while disconnected: the circuit breaker above decides what to do, nothing queues up.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      commandTimeout: options.commandTimeoutMs ?? 2_000,
      retryStrategy: (times) => Math.min(100 * times, 2_000),
      // Commands issued in the same turn of the event loop (many requests' rate limits, claims and admission checks
      // under load) go out in one write: each write is a system call, and those were a fifth of a hold's CPU.
      enableAutoPipelining: true,
    });
    this.client.on('error', () => {}); // reported through failed commands and health checks
    this.ready = this.client.connect().catch(() => {});
  }

  private async connected(): Promise<void> {
    if (this.client.status === 'ready') return;
    if (this.client.status === 'wait' || this.client.status === 'connecting' || this.client.status === 'connect') {
      await Promise.race([this.ready, new Promise((resolve) => setTimeout(resolve, 500))]);
    }
  }

  async request<TResult = unknown>(req: UpstashRequest): Promise<UpstashResponse<TResult>> {
    await this.connected();
    const path = req.path?.[0];
    if (path === 'pipeline' || path === 'multi-exec') {
      const commands = req.body as Command[];
      const batch = path === 'pipeline' ? this.client.pipeline() : this.client.multi();
      for (const [name, ...args] of commands) batch.call(String(name), ...args);
      const results = (await batch.exec()) ?? [];
      // For /pipeline and /multi-exec the client expects the bare array of {result}|{error}, as the REST API sends it.
      return results.map(([error, result]) => reply(error, result)) as unknown as UpstashResponse<TResult>;
    }
    const [name, ...args] = req.body as Command;
    try {
      return { result: (await this.client.call(String(name), ...args)) as TResult };
    } catch (error) {
      const message = (error as Error).message;
      // Connection-level failures are thrown (like a failed fetch); command errors become {error} (like REST).
      if ((error as { name?: string }).name === 'ReplyError') return { error: message };
      throw error;
    }
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}
