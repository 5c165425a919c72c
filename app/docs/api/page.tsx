import type { Metadata } from 'next';
import Link from 'next/link';
import { Prose } from './prose';
import { apiReference } from './reference';

export const metadata: Metadata = { title: 'API reference' };

/**
 * The API reference's index: every operation of /api/openapi.json in one line, grouped by tag, each linking to its
 * tag's page with the details. Rendered on the server from the document the API serves; no script of its own.
 */
export default function ApiReferencePage() {
  const { info, tags } = apiReference();
  return (
    <div className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="text-3xl font-bold tracking-tight">{info.title} reference</h1>
      <p className="mt-2 text-slate-700">
        <Prose text={info.description} />
      </p>
      <p className="mt-2 text-slate-700">
        The machine-readable document (OpenAPI 3.1):{' '}
        <a className="text-blue-700 underline" href="/api/openapi.json">
          /api/openapi.json
        </a>
        . The shapes the operations share are under{' '}
        <Link className="text-blue-700 underline" href="/docs/api/schemas">
          Schemas
        </Link>
        .
      </p>
      {tags.map((tag) => (
        <section
          key={tag.slug}
          aria-labelledby={`tag-${tag.slug}`}
          className="mt-8 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200"
        >
          <h2 id={`tag-${tag.slug}`} className="text-xl font-bold">
            <a className="text-blue-700 underline" href={`/docs/api/${tag.slug}`}>
              {tag.name}
            </a>
          </h2>
          <p className="mt-1 text-sm text-slate-700">
            <Prose text={tag.description} />
          </p>
          <ul className="mt-3 space-y-1 text-sm">
            {tag.operations.map(({ method, path, op }) => (
              <li key={op.operationId}>
                <a
                  className="group inline-flex flex-wrap items-baseline gap-2"
                  href={`/docs/api/${tag.slug}#${op.operationId}`}
                >
                  <span className="w-14 font-mono text-xs font-bold uppercase text-slate-600">{method}</span>
                  <code className="font-mono font-semibold text-blue-700 underline break-all">{path}</code>
                  <span className="text-slate-700">{op.summary}</span>
                </a>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
