import 'server-only';
import pino from 'pino';
import { env } from '@/lib/env';

const holder = globalThis as { __admitoneLog?: pino.Logger };

/** Structured JSON logs. Secrets and card data never go in: the redact list is a last line of defence. */
export function log(): pino.Logger {
  holder.__admitoneLog ??= pino({
    level: env().LOG_LEVEL,
    base: { service: 'admitone' },
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'cookie', '*.cookie', 'headers.cookie', 'card', '*.card'],
      censor: '[redacted]',
    },
  });
  return holder.__admitoneLog;
}
