import { json, route } from '@/lib/http/route';
import { openApiDocument } from '@/lib/openapi/document';

/** The OpenAPI 3.1 document of the public API (lib/openapi/), readable at /docs/api. It changes only with a deploy. */
export const GET = route('openapi', {}, async () =>
  json(openApiDocument(), { headers: { 'cache-control': 'public, max-age=300' } }),
);
