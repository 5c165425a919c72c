/**
 * Which services the tests run against. With DATABASE_URL and REDIS_URL set (CI, or a developer who has them),
 * data tests use the real PostgreSQL and Redis; without them, the embedded PGlite and in-process coordinator.
 * In CI the real services are required: a missing or unreachable one fails the run instead of being skipped.
 */
export const realDatabaseUrl = process.env.DATABASE_URL || undefined;
export const realRedisUrl = process.env.REDIS_URL || undefined;
export const mode = realDatabaseUrl ? 'real' : 'embedded';

export function assertServicesConfigured(): void {
  if (process.env.CI && (!realDatabaseUrl || !realRedisUrl)) {
    throw new Error('CI must run the tests against the real services: set DATABASE_URL and REDIS_URL (see .ci/run).');
  }
}

/** postgres://.../name -> the same server with another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export const baseDatabaseName = () =>
  realDatabaseUrl ? new URL(realDatabaseUrl).pathname.slice(1) || 'admitone_test' : 'embedded';
export const templateName = () => `${baseDatabaseName()}_template`;
