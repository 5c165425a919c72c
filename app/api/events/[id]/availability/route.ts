import { getDb } from '@/db/client';
import { availabilityQuerySchema } from '@/lib/contracts/inventory';
import { bodyResponse } from '@/lib/http/response-body';
import { readQuery, route } from '@/lib/http/route';
import { availabilityDocument, encodedBody } from '@/lib/inventory';

/**
 * Every seat's status (one character each), or with ?since=N the seats that changed after version N. The same
 * document for everyone at a version, compressed once and revalidated with its ETag (304 Not Modified).
 */
export const GET = route('events.availability', { params: ['id'] }, async ({ request, params: { id } }) => {
  const { since } = readQuery(request, availabilityQuerySchema);
  const doc = await availabilityDocument(await getDb(), id, { since });
  const headers: Record<string, string> = { etag: doc.etag, 'cache-control': 'no-cache', vary: 'Accept-Encoding' };
  if (matchesEtag(request.headers.get('if-none-match'), doc.etag)) return new Response(null, { status: 304, headers });
  const { body, encoding } = encodedBody(doc, request.headers.get('accept-encoding'));
  return bodyResponse(new Uint8Array(body.buffer, body.byteOffset, body.length) as Uint8Array<ArrayBuffer>, {
    headers: { ...headers, 'content-type': 'application/json', ...(encoding ? { 'content-encoding': encoding } : {}) },
  });
});

/** If-None-Match holds one or more entity tags (weak ones too, as they compare for GET), or '*'. */
function matchesEtag(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}
