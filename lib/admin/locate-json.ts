/**
 * Line numbers for an uploaded JSON file, so an organizer importing a layout hears "line 214: row label 'F' is
 * used twice in section 104" instead of a bare path. Two helpers: where a syntax error is, and where the value at
 * a path (as zod reports it) starts.
 */

export type JsonProblem = { line: number; column: number; reason: string };

/** Parses `text`; a syntax error becomes the line and column of the offending character. */
export function parseJsonWithLines(text: string): { ok: true; value: unknown } | { ok: false; problem: JsonProblem } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : text.length;
    return { ok: false, problem: { ...lineAndColumn(text, offset), reason: message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '') } };
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * The line on which the value at `path` begins in valid JSON `text` (the nearest existing ancestor when the path
 * goes deeper than the document, as it does for a missing property). A small scanner, not a second parser: it
 * only skips strings, numbers and literals and keeps the path of containers it is in.
 */
export function lineOfPath(text: string, path: readonly PropertyKey[]): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const skipString = () => {
    i++; // opening quote
    let out = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        out += text.slice(i, i + 2);
        i += 2;
      } else out += text[i++];
    }
    i++;
    return JSON.parse(`"${out}"`) as string;
  };
  let best = 0;
  // Walks the value at i; `depth` is how many leading segments of `path` the current value matches.
  const walk = (depth: number): boolean => {
    ws();
    if (depth === path.length) {
      best = i;
      return true;
    }
    best = i;
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return (i++, false);
      for (;;) {
        ws();
        const key = skipString();
        ws();
        i++; // colon
        if (key === String(path[depth])) return walk(depth + 1);
        skip();
        ws();
        if (text[i] === ',') i++;
        else return (i++, false);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return (i++, false);
      for (let index = 0; ; index++) {
        if (index === Number(path[depth])) return walk(depth + 1);
        skip();
        ws();
        if (text[i] === ',') i++;
        else return (i++, false);
      }
    }
    return false;
  };
  // Skips one whole value.
  const skip = () => {
    ws();
    const c = text[i];
    if (c === '"') return void skipString();
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) return void i++;
      for (;;) {
        if (c === '{') {
          ws();
          skipString();
          ws();
          i++;
        }
        skip();
        ws();
        if (text[i++] !== ',') return;
      }
    }
    while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  walk(0);
  return lineAndColumn(text, best).line;
}
