import { z } from 'zod';
import type { NormalizedSearch, SearchSort } from '@/lib/contracts/catalog';
import { AppError } from '@/lib/errors';

/**
 * Keyset cursors: the sort key of the last event on a page, plus a fingerprint of the search it belongs to. They
 * stay valid while events are added or removed (no offsets), and a cursor pasted into another search is refused
 * instead of silently skipping results.
 */
export type CursorKey = { rank?: string; startsAt: string; id: string };

const cursorSchema = z.object({
  v: z.literal(1),
  f: z.string(),
  s: z.enum(['relevance', 'date']),
  r: z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .optional(),
  t: z.string().datetime({ offset: true }),
  i: z.string().uuid(),
});

/** Stable across processes: FNV-1a over the filters that decide which events match and in what order. */
function searchFingerprint(search: NormalizedSearch): string {
  const { q, city, category, from, to, minPrice, maxPrice, sort } = search;
  const text = JSON.stringify([q.toLowerCase(), city?.toLowerCase(), category, from, to, minPrice, maxPrice, sort]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

export function encodeCursor(search: NormalizedSearch, key: CursorKey): string {
  const body = {
    v: 1,
    f: searchFingerprint(search),
    s: search.sort,
    ...(key.rank !== undefined ? { r: key.rank } : {}),
    t: key.startsAt,
    i: key.id,
  };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

export function decodeCursor(search: NormalizedSearch, cursor: string): CursorKey & { sort: SearchSort } {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    body = undefined;
  }
  const parsed = cursorSchema.safeParse(body);
  const invalid = (message: string) =>
    new AppError('VALIDATION_FAILED', `cursor: ${message}`, { errors: [{ path: 'cursor', message }] });
  if (!parsed.success) throw invalid('is not valid; start again without a cursor');
  const c = parsed.data;
  if (c.f !== searchFingerprint(search) || c.s !== search.sort || (c.s === 'relevance') !== (c.r !== undefined)) {
    throw invalid('belongs to a different search; start again without a cursor');
  }
  return { sort: c.s, ...(c.r !== undefined ? { rank: c.r } : {}), startsAt: c.t, id: c.i };
}
