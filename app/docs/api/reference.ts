import 'server-only';
import { openApiJson } from '@/lib/openapi/document';
import { METHODS, type JsonSchema, type Operation } from './reference-types';

export type Reference = {
  info: { title: string; description: string };
  tags: {
    name: string;
    description: string;
    slug: string;
    operations: { path: string; method: string; op: Operation }[];
  }[];
  schemas: Record<string, JsonSchema>;
};

let reference: Reference | undefined;

/**
 * The served document (lib/openapi/document.ts) as the reference pages read it: operations grouped under their first
 * tag, each tag with the slug of its page (/docs/api/{slug}). Built once per process, like the document.
 */
export function apiReference(): Reference {
  if (reference) return reference;
  const doc = JSON.parse(openApiJson()) as {
    info: Reference['info'];
    tags: { name: string; description: string }[];
    paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ path, method, op: item[method] }] : [])),
  );
  reference = {
    info: doc.info,
    tags: doc.tags.map((tag) => ({
      ...tag,
      slug: tagSlug(tag.name),
      operations: operations.filter((o) => o.op.tags[0] === tag.name),
    })),
    schemas: doc.components.schemas,
  };
  return reference;
}

const tagSlug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
