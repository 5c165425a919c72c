import 'server-only';
import type { Requester, UpstashRequest, UpstashResponse } from '@upstash/redis';
import IORedis, { Cluster } from 'ioredis';
import type { ClusterNodes } from '@/lib/env';

type Command = (string | number)[];

const reply = (error: Error | null | undefined, result: unknown): UpstashResponse<unknown> =>
  error ? { error: error.message } : { result };

/** Where to connect: one Redis (a redis:// URL) or a Redis Cluster (its seed nodes, REDIS_CLUSTER_NODES). */
export type RedisTarget = string | ClusterNodes;

/**
 * Lets the @upstash/redis client speak to a plain Redis or a Redis Cluster over TCP: the same commands, scripts and
 * replies as its REST API (POST /, /pipeline, /multi-exec), without an HTTP hop. Replies are not base64-encoded.
 * On a cluster, ioredis sends each command to the master of its keys' slot and follows MOVED/ASK after a failover or
 * a resharding; a script's keys must share one slot (every port keys by the event's hash tag, lib/coordination/keys.ts),
 * and so must the keys of one /multi-exec.
 */
export class IoRedisRequester implements Requester {
  readonly client: IORedis | Cluster;
  private ready: Promise<void>;

  constructor(target: RedisTarget, options: { commandTimeoutMs?: number } = {}) {
    const perConnection = {
      // Fail fast while disconnected: the circuit breaker above decides what to do, nothing queues up.
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      commandTimeout: options.commandTimeoutMs ?? 2_000,
    };
    // Commands issued in the same turn of the event loop (many requests' rate limits, claims and admission checks
    // under load) go out in one write: each write is a system call, and those were a fifth of a hold's CPU. On a
    // cluster ioredis batches per node.
    this.client =
      typeof target === 'string'
        ? new IORedis(target, {
            ...perConnection,
            lazyConnect: true,
            enableOfflineQueue: false,
            retryStrategy: (times) => Math.min(100 * times, 2_000),
            enableAutoPipelining: true,
          })
        : new Cluster(target.nodes, {
            lazyConnect: true,
            enableOfflineQueue: false,
            enableAutoPipelining: true,
            clusterRetryStrategy: (times) => Math.min(100 * times, 2_000),
            // While a failed master's replica takes over, a command is retried a few times 100 ms apart, then fails
            // into the breaker (and the caller's PostgreSQL path); the slot map is refreshed on the first MOVED.
            retryDelayOnFailover: 100,
            retryDelayOnClusterDown: 100,
            retryDelayOnTryAgain: 100,
            maxRedirections: 6,
            slotsRefreshTimeout: 1_000,
            redisOptions: {
              ...perConnection,
              username: target.username,
              password: target.password,
              tls: target.tls ? {} : undefined,
            },
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
