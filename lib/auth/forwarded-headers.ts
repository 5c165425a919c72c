import { connectionContext } from '@/lib/http/connection-context';

/** The header better-auth reads a request's client address from (lib/auth/auth.server.ts); only we ever set it. */
export const CLIENT_ADDRESS_HEADER = 'x-admitone-client-address';

/**
 * The headers to hand better-auth for a request: the client's, with any X-AdmitOne-Client-Address it sent replaced
 * by the address our server resolved from the socket (none when unknown).
 */
export function headersForAuth(incoming: Headers): Headers {
  const headers = new Headers(incoming);
  headers.delete(CLIENT_ADDRESS_HEADER);
  const address = connectionContext.getStore()?.clientAddress;
  if (address && address !== 'unknown') headers.set(CLIENT_ADDRESS_HEADER, address);
  return headers;
}
