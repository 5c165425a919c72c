import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { HOT_ROUTES } from '@/lib/http/hot-routes';
import type { Access, ApiOperation, ResponseSpec } from './operation';
import { TAGS } from './operation';
import { OPERATIONS } from './operations';
import { errorsByStatus, problemResponse, problemSchema } from './problems';

type OpenApiDocument = ReturnType<typeof createDocument>;

let built: OpenApiDocument | undefined;

/**
 * The OpenAPI 3.1 document of the public API, built once per process from the operation table
 * (lib/openapi/operations/) and the zod contracts: served at /api/openapi.json, rendered at /docs/api, and what the
 * test suites check real responses against.
 */
export function openApiDocument(): OpenApiDocument {
  built ??= createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'AdmitOne API',
        version: '1',
        description:
          'Reserved-seat ticketing. Errors are application/problem+json with a stable `code`. State changes from a browser session must come from the same origin with a JSON body.',
        license: { name: 'MIT', identifier: 'MIT' },
      },
      tags: TAGS.map((tag) => ({ ...tag })),
      paths: pathsOf(OPERATIONS),
      components: {
        schemas: { Problem: problemSchema },
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'better-auth.session_token',
            description: 'the session cookie set by sign-in',
          },
          operatorToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'METRICS_TOKEN (without one, loopback clients only)',
          },
          cronSecret: { type: 'http', scheme: 'bearer', description: 'CRON_SECRET' },
          scannerToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'a paired scanner device’s token (aos_…), from its pairing link; only its hash is stored',
          },
          stripeSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'Stripe-Signature',
            description: "Stripe's signature over the raw body",
          },
        },
      },
    },
    { override: datesAsInstants },
  );
  return built;
}

/** A date the API reads (`z.coerce.date()`) or writes is an ISO 8601 string on the wire. */
const datesAsInstants = ({
  jsonSchema,
  zodSchema,
}: {
  jsonSchema: { type?: unknown; format?: string };
  zodSchema: { _zod: { def: { type: string } } };
}) => {
  if (zodSchema._zod.def.type === 'date') {
    jsonSchema.type = 'string';
    jsonSchema.format = 'date-time';
  }
};

type StatusCode = `${1 | 2 | 3 | 4 | 5}${string}`;

const SECURITY: Record<Access, Record<string, string[]>[] | undefined> = {
  public: undefined,
  viewer: [{ session: [] }],
  admin: [{ session: [] }],
  box_office: [{ session: [] }],
  operator: [{ operatorToken: [] }],
  cron: [{ cronSecret: [] }],
  signed: [{ stripeSignature: [] }],
  scanner: [{ scannerToken: [] }, { session: [] }],
};

function pathsOf(operations: readonly ApiOperation[]): ZodOpenApiPathsObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const op of operations) {
    const item = (paths[op.path] ??= {});
    if (item[op.method]) throw new Error(`${op.method.toUpperCase()} ${op.path} is described twice`);
    item[op.method] = operationObject(op);
  }
  return paths;
}

function operationObject(op: ApiOperation): ZodOpenApiOperationObject {
  const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  const hot = HOT_ROUTES.find(
    (r) => r.method.toLowerCase() === op.method && r.path.replace(/:(\w+)/g, '{$1}') === op.path,
  );
  const responses: ZodOpenApiOperationObject['responses'] = {};
  for (const [status, spec] of Object.entries(op.responses) as [StatusCode, ResponseSpec][]) {
    responses[status] = {
      description: spec.description,
      ...(spec.schema
        ? {
            content: {
              [spec.mediaType ?? 'application/json']: { schema: spec.schema },
              ...Object.fromEntries(
                Object.entries(spec.alternatives ?? {}).map(([mediaType, schema]) => [mediaType, { schema }]),
              ),
            },
          }
        : {}),
    };
  }
  for (const [status, codes] of errorsByStatus(op))
    responses[String(status) as StatusCode] = problemResponse(status, codes);
  return {
    operationId: op.id,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(SECURITY[op.access] ? { security: SECURITY[op.access] } : {}),
    requestParams: {
      ...(pathParams.length
        ? { path: z.object(Object.fromEntries(pathParams.map((name) => [name, z.string()]))) }
        : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(op.headers ? { header: op.headers } : {}),
    },
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
    responses,
    ...(hot ? { 'x-hot-route': hot.name } : {}),
  };
}

let serialized: string | undefined;

/** The document as the API serves it: serialized once per process, since it changes only with a deploy. */
export function openApiJson(): string {
  serialized ??= JSON.stringify(openApiDocument());
  return serialized;
}
