import 'server-only';
import type { Database } from '@/db/client';
import { AppError } from '@/lib/errors';
import { createVenue } from './create-venue';
import { parseLayoutFile } from './layout-json';

/**
 * Creates a venue from a layout file's text. A file that is not JSON, or breaks the schema, is refused with the
 * line and reason of each problem (422 `errors: [{ line, path, message }]`).
 */
export async function importVenue(db: Database, text: string, actorId: string, source: 'builder' | 'import') {
  const parsed = parseLayoutFile(text);
  if (!parsed.ok) {
    const first = parsed.errors[0]!;
    throw new AppError(
      'VALIDATION_FAILED',
      `Line ${first.line}${first.path ? ` (${first.path})` : ''}: ${first.message}`,
      { errors: parsed.errors },
    );
  }
  return createVenue(db, parsed.layout, actorId, { source });
}
