import { venueLayoutSchema, type VenueLayout } from '@/lib/contracts/venue-layout';

/** A problem in a layout file, with where it is: 1-based line (and column for syntax errors) and the JSON path. */
export type LayoutFileError = { line: number; column?: number; path: string; message: string };

export type LayoutFileResult = { ok: true; layout: VenueLayout } | { ok: false; errors: LayoutFileError[] };

/**
 * Reads a venue layout file (docs/venue-layout.md) as the builder's import and `POST /api/admin/venues` with a
 * file do: a syntax error names its line and column; a layout that breaks the schema names the line of every
 * offending value. Shared by the browser and the server, so both say the same thing.
 */
export function parseLayoutFile(text: string): LayoutFileResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [syntaxError(text, error)] };
  }
  const result = venueLayoutSchema.safeParse(value);
  if (result.success) return { ok: true, layout: result.data };
  const lines = jsonPathLines(text);
  return {
    ok: false,
    errors: result.error.issues.slice(0, 50).map((issue) => {
      const path = issue.path.map(String);
      return { line: lineOf(lines, path), path: path.join('.'), message: issue.message };
    }),
  };
}

/** The layout as a file: stable key order, two-space indent, a trailing newline. */
export const layoutToFile = (layout: VenueLayout) => `${JSON.stringify(layout, null, 2)}\n`;

function lineOf(lines: Map<string, number>, path: string[]): number {
  // The closest enclosing value that exists in the file (a missing field is reported at its parent).
  for (let n = path.length; n >= 0; n--) {
    const line = lines.get(path.slice(0, n).join('.'));
    if (line !== undefined) return line;
  }
  return 1;
}

function syntaxError(text: string, error: unknown): LayoutFileError {
  const message = error instanceof Error ? error.message : String(error);
  // Engines differ in what their message says (Node 20 gives neither line nor position): find the place ourselves.
  const at = syntaxErrorOffset(text);
  const before = text.slice(0, at).split('\n');
  return {
    line: before.length,
    column: before[before.length - 1]!.length + 1,
    path: '',
    message: `not valid JSON: ${message}`,
  };
}

/** The offset of the first character a strict JSON reader refuses (the text's length when it ends too early). */
export function syntaxErrorOffset(text: string): number {
  let i = 0;
  class Stop extends Error {}
  const fail = (): never => {
    throw new Stop();
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        string();
        space();
        if (text[i] !== ':') fail();
        i++;
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!literal) fail();
    i += literal![0].length;
  };
  try {
    value();
    space();
    if (i < text.length) fail();
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
  }
  return i;
}

/**
 * Where each value of a (valid) JSON text starts, by dotted path ("sections.3.rows.0.label" -> line). A small scanner
 * rather than a full parser: JSON.parse has already accepted the text.
 */
export function jsonPathLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) {
      if (text[i] === '\n') line++;
      i++;
    }
  };
  const readString = (): string => {
    let out = '';
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        out += text.slice(i, i + 2);
        i += 2;
      } else out += text[i++];
    }
    i++; // closing quote
    return out;
  };
  const value = (path: string[]) => {
    skipSpace();
    lines.set(path.join('.'), line);
    const c = text[i];
    if (c === '{') {
      i++;
      skipSpace();
      if (text[i] === '}') return void i++;
      for (;;) {
        skipSpace();
        const key = readString();
        skipSpace();
        i++; // colon
        value([...path, key]);
        skipSpace();
        if (text[i++] === '}') return;
      }
    }
    if (c === '[') {
      i++;
      skipSpace();
      if (text[i] === ']') return void i++;
      for (let n = 0; ; n++) {
        value([...path, String(n)]);
        skipSpace();
        if (text[i++] === ']') return;
      }
    }
    if (c === '"') return void readString();
    while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  value([]);
  return lines;
}
