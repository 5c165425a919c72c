import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import IORedis from 'ioredis';
import { Redis } from '@upstash/redis';
import { openDatabase, type DatabaseHandle } from '@/db/client';
import { migrate } from '@/db/migrations-runner';
import { rows } from '@/db/sql';
import { IoRedisRequester } from '@/lib/coordination/ioredis-requester';
import { RedisCoordinator } from '@/lib/coordination/redis';
import { parseEnv } from '@/lib/env';

export const benchRedisUrl = () => process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** A fresh, migrated PostgreSQL database for one benchmark (never the demo or test data). */
export async function freshDatabase(name: string): Promise<{ handle: DatabaseHandle; url: string }> {
  const base = new URL(
    process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
  );
  base.pathname = '/postgres';
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } catch (error) {
    throw new Error(
      `Benchmarks need a PostgreSQL server (BENCH_DATABASE_URL or DATABASE_URL; tried ${base.host}): ${(error as Error).message}`,
    );
  } finally {
    await admin.end();
  }
  base.pathname = `/${name}`;
  const url = base.toString();
  const handle = await openDatabase(parseEnv({ DATABASE_URL: url }), { maxConnections: 10 });
  await migrate(handle);
  return { handle, url };
}

/** The app's coordinator on Redis over TCP, as the app builds it from REDIS_URL, for preparing state directly. */
export function redisCoordinator(url: string, options?: { commandTimeoutMs?: number }): RedisCoordinator {
  const requester = new IoRedisRequester(url, options);
  return new RedisCoordinator(new Redis(requester), 'redis', () => requester.close());
}

/** An event's seat ids in layout order. */
export async function eventSeatIds(db: DatabaseHandle['db'], eventId: string): Promise<number[]> {
  const seats = await rows<{ id: number | string }>(
    db,
    sql`select id from event_seats where event_id = ${eventId} order by idx`,
  );
  return seats.map((r) => Number(r.id));
}

/**
 * After preparing: statistics for the planner and nothing left for a checkpoint to write mid-phase (the benchmark
 * servers run with autovacuum off: without ANALYZE the app's statements would be planned for empty tables).
 */
export async function readyForTimings(db: DatabaseHandle['db']): Promise<void> {
  await db.execute(sql`vacuum analyze`);
  await db.execute(sql`checkpoint`);
}

export async function assertRedis(url = benchRedisUrl()): Promise<void> {
  const redis = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2_000 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`Benchmarks need Redis at ${url}: ${(error as Error).message}`);
  } finally {
    redis.disconnect();
  }
}

/** Sells every seat of an event to one buyer in bulk (order, items, tickets, seats), as a fixture. */
export async function sellOut(db: DatabaseHandle['db'], eventId: string, userId: string): Promise<number[]> {
  return db.transaction(async (tx) => {
    const [order] = await rows<{ id: string }>(
      tx,
      sql`insert into orders (reference, user_id, event_id, status, email, currency, subtotal_minor, fees_minor, total_minor, paid_at)
          values (${`AO-BENCH-${eventId.slice(0, 8)}`}, ${userId}, ${eventId}, 'paid', 'bench@example.test', 'USD', 0, 0, 0, now()) returning id`,
    );
    await tx.execute(
      sql`insert into order_items (order_id, event_seat_id, price_minor, tier_name, section_label, row_label, seat_label)
          select ${order!.id}, id, 0, 'Bench', section_label, row_label, seat_label from event_seats where event_id = ${eventId}`,
    );
    await tx.execute(
      sql`insert into tickets (order_id, order_item_id, event_id, event_seat_id, owner_id, nonce)
          select ${order!.id}, oi.id, ${eventId}, oi.event_seat_id, ${userId}, md5(random()::text) from order_items oi where oi.order_id = ${order!.id}`,
    );
    const sold = await rows<{ id: number | string }>(
      tx,
      sql`update event_seats set rev = rev + 1, status = 'sold' where event_id = ${eventId} returning id`,
    );
    return sold.map((s) => Number(s.id));
  });
}
