import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * Checks real responses against the OpenAPI document: the operation must be described, the status documented, and
 * a JSON body must match the documented schema (problem documents included). Used by `call()` in the integration
 * suite (tests/support/http.ts) and by the e2e fixture that watches the API answers a page receives.
 */

type Doc = {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
};

/** `body` undefined: not seen (a browser drops the body of an answer it navigated away from); checked by status and type. */
type ObservedResponse = { method: string; path: string; status: number; contentType: string | null; body?: unknown };

const DOC_ID = 'https://admitone.invalid/openapi.json';

/** A checker for one document: `check(response)` lists what does not match (empty when all is well). */
export function responseChecker(document: object): (response: ObservedResponse) => string[] {
  const doc = document as Doc;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOC_ID });
  const validators = new Map<string, ValidateFunction>();
  const templates = Object.keys(doc.paths)
    .map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
      params: (template.match(/\{/g) ?? []).length,
    }))
    // A literal segment wins over a parameter: /api/tickets/scanner is not /api/tickets/{id}.
    .sort((a, b) => a.params - b.params);

  return ({ method, path, status, contentType, body }) => {
    const where = `${method} ${path} → ${status}`;
    const template = templates.find((t) => t.pattern.test(path))?.template;
    const operation = template ? doc.paths[template]![method.toLowerCase()] : undefined;
    if (!template || !operation) return [`${where}: the operation is not in the OpenAPI document`];
    const response = operation.responses[String(status)];
    if (!response) return [`${where}: status ${status} is not documented for ${method} ${template}`];
    if (!response.content)
      return body === null || body === '' ? [] : [`${where}: documented without a body, but one came`];
    const mediaType = contentType?.split(';')[0]!.trim().toLowerCase() ?? '';
    if (!(mediaType in response.content))
      return [
        `${where}: content type ${mediaType || '(none)'} is not documented (${Object.keys(response.content).join(', ')})`,
      ];
    if (!mediaType.endsWith('json') || body === undefined) return [];
    const pointer = [
      'paths',
      template,
      method.toLowerCase(),
      'responses',
      String(status),
      'content',
      mediaType,
      'schema',
    ]
      .map(escapePointer)
      .join('/');
    const key = `${DOC_ID}#/${pointer}`;
    let validate = validators.get(key);
    if (!validate) validators.set(key, (validate = ajv.compile({ $ref: key })));
    if (validate(body)) return [];
    return (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${where}: body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  };
}

/** `app/api/events/[id]/holds/route.ts` → `/api/events/{id}/holds`; a catch-all (`[...all]`) keeps its brackets. */
export const routeFileTemplate = (file: string) =>
  file
    .replace(/^\/?app/, '')
    .replace(/\/route\.ts$/, '')
    .replace(/\[(\w+)\]/g, '{$1}');

const escapePointer = (segment: string) => encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));
