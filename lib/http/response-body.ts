import { peekProcessSingleton } from '@/lib/process-singletons';

/**
 * Responses of the hot routes without a body stream. A `Response` built with a string or bytes wraps them in a
 * ReadableStream, and the production server then reads that stream back to write it: together about a tenth of a
 * hold's CPU (issue 14). Inside a hot request of that server (lib/http/node-server.ts marks its connection context
 * `hot`) the body rides on the response beside an empty stream and is written as it is; everywhere else (Next's
 * router, the Edge runtime, tests calling handlers) this is an ordinary `Response`. It imports only the import-free
 * lib/process-singletons.ts: the Edge bundle reads it too (lib/errors.ts).
 */
const RAW_BODY = Symbol.for('admitone.rawBody');

type WithRawBody = Response & { [RAW_BODY]?: string | Uint8Array };

export function bodyResponse(body: string | Uint8Array<ArrayBuffer> | null, init: ResponseInit): Response {
  if (
    body === null ||
    !peekProcessSingleton<{ getStore(): { hot?: boolean } | undefined }>('connectionContext')?.getStore()?.hot
  )
    return new Response(body, init);
  const response: WithRawBody = new Response(null, init);
  response[RAW_BODY] = body;
  return response;
}

/** The body bodyResponse() kept beside the response, if it did. */
export const rawBody = (response: Response): string | Uint8Array | undefined => (response as WithRawBody)[RAW_BODY];

/** A copy of a response (new status text or headers) that keeps its body, whichever way it is held. */
export function copyResponse(response: Response, init: ResponseInit): Response {
  const raw = rawBody(response);
  if (raw === undefined) return new Response(response.body, init);
  const copy: WithRawBody = new Response(null, init);
  copy[RAW_BODY] = raw;
  return copy;
}
