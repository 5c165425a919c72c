import { AsyncLocalStorage } from 'node:async_hooks';
import { processSingleton } from '@/lib/process-singletons';

export type RequestContext = {
  requestId: string;
  route: string;
  /** Cookies to set on the response, whatever the handler answers (better-auth's refreshed session cache). */
  setCookies?: string[];
};

/** The request being served, so every log line written while serving it names it (pino's mixin reads this). */
export const requestContext: AsyncLocalStorage<RequestContext> = processSingleton(
  'requestContext',
  () => new AsyncLocalStorage<RequestContext>(),
);
