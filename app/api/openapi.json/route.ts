import { bodyResponse } from '@/lib/http/response-body';
import { route } from '@/lib/http/route';
import { openApiJson } from '@/lib/openapi/document';

/**
 * The OpenAPI 3.1 document of the public API (lib/openapi/), readable at /docs/api. It changes only with a deploy, so
 * its text is made once and every request sends the same string.
 */
export const GET = route('openapi', {}, async () =>
  bodyResponse(openApiJson(), {
    headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
  }),
);
