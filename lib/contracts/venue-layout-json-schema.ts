import { z } from 'zod';
import { venueLayoutSchema } from './venue-layout';

/**
 * The JSON Schema (draft 2020-12) of a layout file as it is written: fields with defaults may be left out. The
 * cross-field rules (unique labels, flags within the row, at most 120,000 seats) are checked by the app and
 * described in docs/venue-layout.md; JSON Schema cannot say them.
 */
export function venueLayoutJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://admitone.dev/venue-layout.schema.json',
    title: 'AdmitOne venue layout',
    ...z.toJSONSchema(venueLayoutSchema, { io: 'input', unrepresentable: 'any' }),
  };
}
