import { AsyncLocalStorage } from 'node:async_hooks';
import { processSingleton } from '@/lib/process-singletons';

/**
 * What the production server (lib/http/node-server.ts) knows about the connection of the request being served and
 * no header can forge: the client's address, resolved from the socket and TRUSTED_PROXIES. Every request runs inside
 * it, those Next routes as well as the hot ones, so route handlers read it wherever they run in that server.
 */
export type ConnectionContext = {
  clientAddress: string;
  /** Served by the server's hot path: responses may carry their body beside the stream (lib/http/response-body.ts). */
  hot?: boolean;
};

export const connectionContext: AsyncLocalStorage<ConnectionContext> = processSingleton(
  'connectionContext',
  () => new AsyncLocalStorage<ConnectionContext>(),
);
