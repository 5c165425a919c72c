import { ERROR_CODES, type ErrorCode } from '@/lib/errors';
import type { JsonSchema, MediaContent, Operation } from './reference-types';
import { Prose } from './prose';
import { SchemaOutline } from './schema-outline';

const METHOD_STYLE: Record<string, string> = {
  get: 'bg-emerald-100 text-emerald-900',
  post: 'bg-blue-100 text-blue-900',
  patch: 'bg-amber-100 text-amber-900',
  delete: 'bg-red-100 text-red-900',
};

const ACCESS: Record<string, string> = {
  session: 'Signed-in account (session cookie)',
  operatorToken: 'Operators: Bearer METRICS_TOKEN',
  cronSecret: 'Cron: Bearer CRON_SECRET',
  stripeSignature: 'Signed by Stripe',
};

/** One operation: method and path, who may call it, its parameters, body, answers and problem codes. */
export function OperationEntry({ method, path, op }: { method: string; path: string; op: Operation }) {
  const access = op.security?.flatMap((s) => Object.keys(s).map((k) => ACCESS[k] ?? k)).join(', ') ?? 'Public';
  const [answers, problems] = partition(
    Object.entries(op.responses),
    ([, r]) => !r.content?.['application/problem+json'],
  );
  return (
    <section
      id={op.operationId}
      aria-labelledby={`${op.operationId}-title`}
      className="scroll-mt-20 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200"
    >
      <h2 id={`${op.operationId}-title`} className="flex flex-wrap items-center gap-2 text-lg">
        <span className={`rounded px-2 py-0.5 font-mono text-sm font-bold uppercase ${METHOD_STYLE[method]}`}>
          {method}
        </span>
        <code className="font-mono font-semibold break-all">{path}</code>
      </h2>
      <p className="mt-2 font-medium">{op.summary}</p>
      {op.description && (
        <p className="mt-1 text-sm text-slate-700">
          <Prose text={op.description} />
        </p>
      )}
      <p className="mt-2 text-sm text-slate-700">
        <span className="font-semibold">Access:</span> {access}
        {op['x-hot-route'] && (
          <span className="ml-2 rounded bg-slate-100 px-2 py-0.5 text-xs font-semibold text-slate-800">hot route</span>
        )}
      </p>

      {op.parameters && op.parameters.length > 0 && (
        <Part title="Parameters">
          <ul className="space-y-1">
            {op.parameters.map((p) => (
              <li key={`${p.in}:${p.name}`}>
                <code className="font-semibold">{p.name}</code>{' '}
                <span className="text-slate-600">
                  ({p.in}
                  {p.required ? ', required' : ''})
                </span>
                : {p.schema && <SchemaOutline schema={p.schema} />}
                {p.description && (
                  <span className="text-slate-600">
                    {' '}
                    · <Prose text={p.description} />
                  </span>
                )}
              </li>
            ))}
          </ul>
        </Part>
      )}

      {op.requestBody && (
        <Part title="Request body">
          <Content content={op.requestBody.content} />
        </Part>
      )}

      <Part title="Responses">
        <dl className="space-y-2">
          {answers.map(([status, r]) => (
            <div key={status}>
              <dt className="font-semibold">
                {status} <span className="font-normal text-slate-700">{r.description}</span>
              </dt>
              <dd className="mt-1">{r.content && <Content content={r.content} />}</dd>
            </div>
          ))}
        </dl>
      </Part>

      <Part title="Errors (application/problem+json)">
        <ul className="space-y-0.5">
          {problems.flatMap(([status, r]) =>
            problemCodes(r.content!).map((code) => (
              <li key={code}>
                <span className="font-semibold">{status}</span> <code className="text-sm">{code}</code>{' '}
                <span className="text-slate-600">{ERROR_CODES[code].title}</span>
              </li>
            )),
          )}
        </ul>
      </Part>
    </section>
  );
}

function Part({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="mt-4 text-sm">
      <h3 className="font-semibold text-slate-900">{title}</h3>
      <div className="mt-1">{children}</div>
    </div>
  );
}

function Content({ content }: { content: MediaContent }) {
  return (
    <>
      {Object.entries(content).map(([type, { schema }]) => (
        <div key={type}>
          <p className="text-xs text-slate-600">{type}</p>
          {schema && <SchemaOutline schema={schema} />}
        </div>
      ))}
    </>
  );
}

/** The codes a problem response names: the `code` enum of its narrowing (lib/openapi/problems.ts). */
function problemCodes(content: MediaContent): ErrorCode[] {
  const schema = content['application/problem+json']?.schema;
  const narrowing = schema?.allOf?.find((part: JsonSchema) => part.properties?.code);
  return (narrowing?.properties?.code?.enum ?? []) as ErrorCode[];
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}
