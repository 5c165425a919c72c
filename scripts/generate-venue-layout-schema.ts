/**
 * Writes public/venue-layout.schema.json, the JSON Schema of a venue layout file, from the zod schema the app
 * validates with (`tsx scripts/generate-venue-layout-schema.ts`). lib/admin/layout-json.test.ts fails
 * when the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { venueLayoutJsonSchema } from '../lib/contracts/venue-layout-json-schema';

const target = resolve(__dirname, '../public/venue-layout.schema.json');
writeFileSync(target, `${JSON.stringify(venueLayoutJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
