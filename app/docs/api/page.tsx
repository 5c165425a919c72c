import type { Metadata } from 'next';
import { openApiDocument } from '@/lib/openapi/document';
import { OperationEntry } from './operation-entry';
import { Prose } from './prose';
import { METHODS, type JsonSchema, type Operation } from './reference-types';
import { SchemaOutline } from './schema-outline';

export const metadata: Metadata = { title: 'API reference' };

/**
 * The API reference: every operation of /api/openapi.json grouped by tag, then the named schemas. Rendered on the
 * server from the same document the API serves; no script of its own, so the page's CSP needs nothing new.
 */
export default function ApiReferencePage() {
  const doc = JSON.parse(JSON.stringify(openApiDocument())) as {
    info: { title: string; description: string };
    tags: { name: string; description: string }[];
    paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  const operations = Object.entries(doc.paths).flatMap(([path, item]) => METHODS.flatMap((method) => (item[method] ? [{ path, method, op: item[method] }] : [])));

  return (
    <div className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="text-3xl font-bold tracking-tight">{doc.info.title} reference</h1>
      <p className="mt-2 text-slate-700">
        <Prose text={doc.info.description} />
      </p>
      <p className="mt-2 text-slate-700">
        The machine-readable document (OpenAPI 3.1):{' '}
        <a className="text-blue-700 underline" href="/api/openapi.json">
          /api/openapi.json
        </a>
        .
      </p>

      <nav aria-label="Operations" className="mt-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <ul className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
          {doc.tags.map((tag) => (
            <li key={tag.name}>
              <a className="font-semibold text-blue-700 underline" href={`#tag-${slug(tag.name)}`}>
                {tag.name}
              </a>{' '}
              <span className="text-slate-600">({operations.filter((o) => o.op.tags[0] === tag.name).length})</span>
            </li>
          ))}
        </ul>
      </nav>

      {doc.tags.map((tag) => (
        <section key={tag.name} aria-labelledby={`tag-${slug(tag.name)}`} className="mt-10">
          <h2 id={`tag-${slug(tag.name)}`} className="text-2xl font-bold">
            {tag.name}
          </h2>
          <p className="mt-1 text-slate-700">
            <Prose text={tag.description} />
          </p>
          <div className="mt-4 space-y-4">
            {operations
              .filter((o) => o.op.tags[0] === tag.name)
              .map((o) => (
                <OperationEntry key={`${o.method} ${o.path}`} {...o} />
              ))}
          </div>
        </section>
      ))}

      <section aria-labelledby="schemas" className="mt-10">
        <h2 id="schemas" className="text-2xl font-bold">
          Schemas
        </h2>
        <div className="mt-4 space-y-4">
          {Object.entries(doc.components.schemas).map(([name, schema]) => (
            <section key={name} id={`schema-${name}`} aria-labelledby={`schema-${name}-title`} className="rounded-xl bg-white p-5 text-sm shadow-sm ring-1 ring-slate-200">
              <h3 id={`schema-${name}-title`} className="font-mono text-lg font-semibold">
                {name}
              </h3>
              {schema.description && (
                <p className="mt-1 text-slate-700">
                  <Prose text={schema.description} />
                </p>
              )}
              <div className="mt-2">
                <SchemaOutline schema={schema} />
              </div>
            </section>
          ))}
        </div>
      </section>
    </div>
  );
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
