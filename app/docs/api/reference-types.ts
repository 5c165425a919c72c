/**
 * The parts of an OpenAPI 3.1 document the reference page reads, typed loosely: the page renders the JSON the API
 * serves (lib/openapi/document.ts), not the zod schemas behind it, so what a reader sees is what a client gets.
 */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
};

export type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema };
export type MediaContent = Record<string, { schema?: JsonSchema }>;
export type Operation = {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content: MediaContent };
  responses: Record<string, { description: string; content?: MediaContent }>;
  'x-hot-route'?: string;
};

export const METHODS = ['get', 'post', 'patch', 'delete'] as const;

/** The name of a component a `$ref` points at (`#/components/schemas/Hold` → `Hold`). */
export const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);
