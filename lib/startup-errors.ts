import { ConfigError } from './env';

/** Turns what goes wrong at start (configuration, an unreachable database, a locked data directory) into a sentence. */
export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError)
    return `${error.message}\nFix the variable(s) above, or unset them to use the embedded defaults.`;
  type Err = { code?: string; message?: string; name?: string; address?: string; port?: number; cause?: unknown };
  let err = error as Err;
  // Drizzle wraps driver errors ("Failed query: ..."); the reason is in the cause.
  while (err?.cause && typeof err.cause === 'object' && !err.code) err = err.cause as Err;
  if (err?.name === 'DataDirLockedError') return err.message ?? String(error);
  const code = err?.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'CONNECT_TIMEOUT', 'EHOSTUNREACH'].includes(code)) {
    return `Cannot reach the database (${code}${err.address ? ` at ${err.address}:${err.port}` : ''}). Is PostgreSQL running and DATABASE_URL right?`;
  }
  if (code === '3D000')
    return `The database named in DATABASE_URL does not exist: ${err.message}. Create it (createdb) and start again.`;
  if (code === '28P01' || code === '28000') return `PostgreSQL refused the credentials in DATABASE_URL: ${err.message}`;
  return `Could not start: ${err?.message ?? String(error)}`;
}
