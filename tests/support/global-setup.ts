import postgres from 'postgres';
import IORedis from 'ioredis';
import { assertServicesConfigured, realDatabaseUrl, realRedisUrl, templateName, withDatabase } from './services';

/**
 * Once per run: check the real services answer, and build a migrated template database that every test file
 * clones (CREATE DATABASE ... TEMPLATE is much faster than migrating each time).
 */
export default async function globalSetup() {
  assertServicesConfigured();
  if (realRedisUrl) {
    const redis = new IORedis(realRedisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3_000 });
    try {
      await redis.connect();
      await redis.ping();
    } catch (error) {
      throw new Error(
        `Redis at ${realRedisUrl} does not answer (${(error as Error).message}). Start it or unset REDIS_URL.`,
      );
    } finally {
      redis.disconnect();
    }
  }
  if (!realDatabaseUrl) return;

  const admin = postgres(withDatabase(realDatabaseUrl, 'postgres'), { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin`select 1`;
  } catch (error) {
    await admin.end();
    throw new Error(
      `PostgreSQL at ${realDatabaseUrl} does not answer (${(error as Error).message}). Start it or unset DATABASE_URL.`,
    );
  }
  const template = templateName();
  await admin.unsafe(`drop database if exists "${template}" with (force)`);
  await admin.unsafe(`create database "${template}"`);
  await admin.end();

  const { openDatabase } = await import('../../db/client');
  const { migrate } = await import('../../db/migrations-runner');
  const { parseEnv } = await import('../../lib/env');
  const handle = await openDatabase(parseEnv({ DATABASE_URL: withDatabase(realDatabaseUrl, template) }), {
    maxConnections: 1,
  });
  await migrate(handle);
  await handle.close();
}
