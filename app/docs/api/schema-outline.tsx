import { Prose } from './prose';
import { refName, type JsonSchema } from './reference-types';

/**
 * A JSON schema as a reader scans it: a one-line type (a link for a named component) and, for an object or an array
 * of objects, its fields one per line, nested. Repeated shapes are named components, listed once at the end of the
 * page.
 */
export function SchemaOutline({ schema }: { schema: JsonSchema }) {
  const fields = objectFields(schema);
  if (!fields) return <TypeLabel schema={schema} />;
  return (
    <ul className="space-y-1 border-l border-slate-200 pl-3">
      {fields.map(([name, field, required]) => (
        <li key={name}>
          <code className="font-semibold text-slate-900">{name}</code>
          {!required && <span className="text-slate-600"> (optional)</span>}
          <span className="text-slate-600">: </span>
          <Field schema={field} />
        </li>
      ))}
    </ul>
  );
}

/** A field: its type, "or null" when it may be null, its description, then the fields of an object inside it. */
function Field({ schema }: { schema: JsonSchema }) {
  const [inner, nullable] = withoutNull(schema);
  const nested = objectFields(inner) ? inner : inner.items && objectFields(inner.items) ? inner.items : null;
  return (
    <>
      {nested ? (
        <span className="text-slate-700">{nested === inner ? 'object' : 'array of objects'}</span>
      ) : (
        <TypeLabel schema={inner} />
      )}
      {nullable && <span className="text-slate-700"> or null</span>}
      {schema.description && (
        <span className="text-slate-600">
          {' '}
          · <Prose text={schema.description} />
        </span>
      )}
      {nested && <SchemaOutline schema={nested} />}
    </>
  );
}

/** `X or null` (zod's nullable) as X and a flag. */
function withoutNull(schema: JsonSchema): [JsonSchema, boolean] {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length === 2) {
    const other = variants.find((v) => v.type !== 'null');
    if (other && variants.some((v) => v.type === 'null')) return [other, true];
  }
  return [schema, false];
}

/** An object's fields with whether each is required; null for anything that is not an object with fields. */
function objectFields(schema: JsonSchema): [string, JsonSchema, boolean][] | null {
  if (!schema.properties || Object.keys(schema.properties).length === 0) return null;
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, field]) => [name, field, required.has(name)]);
}

function TypeLabel({ schema }: { schema: JsonSchema }) {
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return (
      <a className="font-mono text-sm text-blue-700 underline" href={`/docs/api/schemas#schema-${name}`}>
        {name}
      </a>
    );
  }
  const variants = schema.anyOf ?? schema.oneOf ?? schema.allOf;
  if (variants) {
    return (
      <>
        {variants.map((part, i) => (
          <span key={i}>
            {i > 0 && <span className="text-slate-600">{schema.allOf ? ' and ' : ' or '}</span>}
            {objectFields(part) ? <SchemaOutline schema={part} /> : <TypeLabel schema={part} />}
          </span>
        ))}
      </>
    );
  }
  if (schema.items) {
    return (
      <span className="text-slate-700">
        array of <TypeLabel schema={schema.items} />
      </span>
    );
  }
  return <code className="text-sm text-slate-700">{plainType(schema)}</code>;
}

const MAX_ENUM = 8;

/** A scalar's type with what constrains it: `"a" | "b"`, `integer 1–50`, `string (date-time)`, `integer > 0`. */
function plainType(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) {
    const shown = schema.enum.slice(0, MAX_ENUM).map((v) => JSON.stringify(v));
    return shown.join(' | ') + (schema.enum.length > MAX_ENUM ? ` | … (${schema.enum.length} values)` : '');
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'any');
  const length = schema.maxLength !== undefined ? ` ≤ ${schema.maxLength} chars` : '';
  return `${type}${schema.format ? ` (${schema.format})` : ''}${range(schema)}${length}`;
}

/** Bounds a reader needs; zod's integers all carry ±2^53 - 1, which says nothing. */
function range(schema: JsonSchema): string {
  const min = schema.minimum !== undefined && schema.minimum > Number.MIN_SAFE_INTEGER ? schema.minimum : undefined;
  const max = schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? schema.maximum : undefined;
  if (min !== undefined && max !== undefined) return ` ${min}–${max}`;
  if (schema.exclusiveMinimum !== undefined)
    return ` > ${schema.exclusiveMinimum}${max !== undefined ? `, ≤ ${max}` : ''}`;
  if (min !== undefined) return ` ≥ ${min}`;
  return max !== undefined ? ` ≤ ${max}` : '';
}
