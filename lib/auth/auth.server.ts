import 'server-only';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { nextCookies } from 'better-auth/next-js';
import { getDb, type Database } from '@/db/client';
import { account, session, user, verification } from '@/db/schema';
import { appUrl, env, requiredSecret } from '@/lib/env';
import { log } from '@/lib/observability/log';
import { CLIENT_ADDRESS_HEADER } from './forwarded-headers';
import { revokeSession } from './session-revocation';
import { processSingleton } from '@/lib/process-singletons';

const MIN_PASSWORD_LENGTH = 10;

function createAuth(db: Database) {
  const e = env();
  const base = appUrl(e);
  return betterAuth({
    appName: 'AdmitOne',
    secret: requiredSecret('AUTH_SECRET', e),
    baseURL: base,
    trustedOrigins: [base, `http://localhost:${e.PORT}`, `http://127.0.0.1:${e.PORT}`],
    database: drizzleAdapter(db, { provider: 'pg', schema: { user, session, account, verification } }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: 128,
      autoSignIn: true,
    },
    user: {
      additionalFields: {
        // Never settable by the person signing up; admins are made by the seed or by another admin.
        role: { type: 'string', required: false, defaultValue: 'customer', input: false },
      },
    },
    session: {
      expiresIn: 60 * 60 * 24 * 14,
      updateAge: 60 * 60 * 24,
      // A signed cookie carries the session for 5 minutes, so hot paths (holds) need no session query.
      cookieCache: { enabled: true, maxAge: 5 * 60 },
    },
    advanced: {
      useSecureCookies: base.startsWith('https://'),
      database: { generateId: () => crypto.randomUUID() },
      // The address a session records is the one our server resolved from the socket (lib/auth/forwarded-headers.ts),
      // never a header the client wrote.
      ipAddress: { ipAddressHeaders: [CLIENT_ADDRESS_HEADER] },
    },
    // Our limits (lib/auth/auth-limits.ts) cover the JSON endpoint and the forms alike, per account and per address,
    // shared by every instance. better-auth's own limiter is per process, keyed by an X-Forwarded-For anyone can
    // write (one shared bucket without it), and skips the forms' direct calls: off rather than a misleading second guard.
    rateLimit: { enabled: false },
    databaseHooks: {
      session: {
        // However a session ends (sign-out, a password change revoking the others), every instance stops trusting
        // its signed cache cookie within a second (lib/auth/session-revocation.ts).
        delete: { after: async (ended) => revokeSession({ id: ended.id, userId: ended.userId }) },
      },
    },
    telemetry: { enabled: false },
    // Its lines ("Invalid password", ...) go through our logger: the same format, redaction and request id as ours,
    // instead of coloured plain text beside the JSON.
    logger: { level: 'warn', log: authLogLine },
    plugins: [nextCookies()],
  });
}

/** One line of better-auth's, written by our logger (its extra arguments as `details`, redacted like any other field). */
export function authLogLine(level: 'debug' | 'info' | 'warn' | 'error', message: string, ...args: unknown[]): void {
  const fields =
    args.length === 0 ? { component: 'auth' } : { component: 'auth', details: args.length === 1 ? args[0] : args };
  log()[level](fields, message);
}

export type Auth = ReturnType<typeof createAuth>;

const slot = processSingleton<{ current?: Promise<Auth> }>('auth', () => ({}));

/** The process-wide better-auth instance, created on first use (needs the database and AUTH_SECRET). */
export function getAuth(): Promise<Auth> {
  const auth = (slot.current ??= getDb().then(createAuth));
  auth.catch(() => {
    if (slot.current === auth) slot.current = undefined;
  });
  return auth;
}

export function resetAuthForTests(): void {
  slot.current = undefined;
}
