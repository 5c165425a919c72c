import 'server-only';
import pino from 'pino';
import { env } from '@/lib/env';
import { requestContext } from './request-context';

const holder = globalThis as { __admitoneLog?: pino.Logger };

/** Structured JSON logs. Secrets and card data never go in: the redact list is a last line of defence. */
export function log(): pino.Logger {
  holder.__admitoneLog ??= pino({
    level: env().LOG_LEVEL,
    base: { service: 'admitone' },
    // Every line written while serving a request carries its id and route.
    mixin: () => requestContext.getStore() ?? {},
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'cookie', '*.cookie', 'headers.cookie', 'card', '*.card'],
      censor: '[redacted]',
    },
  });
  return holder.__admitoneLog;
}
