import type { Metadata } from 'next';
import { Prose } from '../prose';
import { apiReference } from '../reference';
import { ReferencePage } from '../reference-page';
import { SchemaOutline } from '../schema-outline';

export const metadata: Metadata = { title: 'Schemas · API reference' };

/** The named schemas the operations share, each with its fields; operation pages link here for a `$ref`. */
export default function ApiSchemasPage() {
  const { schemas } = apiReference();
  return (
    <ReferencePage title="Schemas">
      <div className="mt-6 space-y-4">
        {Object.entries(schemas).map(([name, schema]) => (
          <section
            key={name}
            id={`schema-${name}`}
            aria-labelledby={`schema-${name}-title`}
            className="scroll-mt-20 rounded-xl bg-white p-5 text-sm shadow-sm ring-1 ring-slate-200"
          >
            <h2 id={`schema-${name}-title`} className="font-mono text-lg font-semibold">
              {name}
            </h2>
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
    </ReferencePage>
  );
}
