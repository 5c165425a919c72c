import 'server-only';
import pino from 'pino';
import pretty from 'pino-pretty';
import { env, type Env } from '@/lib/env';
import { requestContext } from './request-context';
import { processSingleton } from '@/lib/process-singletons';

const logger = processSingleton<{ current?: pino.Logger }>('log', () => ({}));

/**
 * Structured JSON logs. What may go into a line is decided here, once, for every caller:
 * - the request context contributes its id and route only (never what else it carries, such as the cookies the
 *   response will set);
 * - errors are serialised without the values that travel with them (a PostgreSQL error's statement parameters, an
 *   HTTP error's headers or body), which can hold emails, session tokens or idempotency keys;
 * - the redact list censors secrets under their usual names wherever a caller passes them, as a last line of defence.
 */
export function log(): pino.Logger {
  return (logger.current ??= createLogger(logFormat() === 'pretty' ? prettyStream() : undefined));
}

/**
 * JSON for a collector, readable lines for a person: `LOG_FORMAT` decides, and without it a terminal on standard
 * output (someone ran `npm start`) gets pretty lines while a pipe or a file (systemd, Docker, CI) gets JSON.
 */
export function logFormat(
  e: Pick<Env, 'LOG_FORMAT'> = env(),
  isTTY: boolean = process.stdout.isTTY === true,
): 'json' | 'pretty' {
  return e.LOG_FORMAT ?? (isTTY ? 'pretty' : 'json');
}

/** pino-pretty as a synchronous stream in this process (no transport worker: Next's server bundles cannot load one). */
function prettyStream(): pino.DestinationStream {
  return pretty({
    colorize: process.stdout.isTTY === true,
    sync: true,
    ignore: 'pid,hostname,service',
    translateTime: 'SYS:HH:MM:ss',
  });
}

/** The logger with these rules, writing to `destination` (standard output by default; tests pass their own). */
export function createLogger(destination?: pino.DestinationStream, level: string = env().LOG_LEVEL): pino.Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'admitone' },
    // Every line written while serving a request carries its id and route, and nothing else of the context.
    mixin: () => {
      const context = requestContext.getStore();
      return context ? { requestId: context.requestId, route: context.route } : {};
    },
    serializers: { err: (value: unknown) => safeError(value), error: (value: unknown) => safeError(value) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Secret-bearing names, at the top of a line and one level down (pino's redact paths are exact, `*` is one level). */
const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'secret',
  'authorization',
  'cookie',
  'cookies',
  'setCookie',
  'setCookies',
  '["set-cookie"]',
  'idempotencyKey',
  '["idempotency-key"]',
  'card',
  'cardNumber',
  'cvc',
  'pow',
];
const REDACTED_PATHS = SECRET_KEYS.flatMap((key) =>
  key.startsWith('[') ? [key, `*${key}`, `*.*${key}`] : [key, `*.${key}`, `*.*.${key}`],
);

/**
 * Properties of thrown objects that carry the data of the request or statement that failed: the driver's and
 * Drizzle's statement parameters, PostgreSQL's `detail` (it quotes key values), an HTTP client's request and response.
 */
const ERROR_PAYLOADS = [
  'parameters',
  'params',
  'detail',
  'args',
  'headers',
  'request',
  'response',
  'body',
  'cookies',
  'config',
  'context',
  'ctx',
];

const STATEMENT_PARAMS = /\nparams: [^\n]*/g;

/** pino's error serialiser, then without payloads; a cause is kept as an error of its own (its code helps), stripped too. */
function safeError(value: unknown, depth = 0): unknown {
  if (!(value instanceof Error)) return value;
  const serialised = pino.stdSerializers.err(value) as unknown as Record<string, unknown>;
  for (const key of ERROR_PAYLOADS) delete serialised[key];
  // Drizzle writes a failed statement's parameters into the message itself ("Failed query: ...\nparams: a,b").
  for (const key of ['message', 'stack'] as const)
    if (typeof serialised[key] === 'string')
      serialised[key] = serialised[key].replace(STATEMENT_PARAMS, '\nparams: [redacted]');
  if (value.cause instanceof Error && depth < 5) serialised.cause = safeError(value.cause, depth + 1);
  else delete serialised.cause;
  return serialised;
}
