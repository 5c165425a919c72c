import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonPathLines, parseLayoutFile, syntaxErrorOffset } from '@/lib/admin/layout-json';
import { venueLayoutJsonSchema } from '@/lib/contracts/venue-layout-json-schema';

describe('venue layout files', () => {
  it('the published JSON Schema is the one generated from the zod schema (run scripts/generate-venue-layout-schema.ts)', () => {
    const committed = JSON.parse(readFileSync(resolve(__dirname, '../../public/venue-layout.schema.json'), 'utf8'));
    expect(committed).toEqual(venueLayoutJsonSchema());
  });

  it('the example in docs/venue-layout.md is a valid layout', () => {
    const doc = readFileSync(resolve(__dirname, '../../docs/venue-layout.md'), 'utf8');
    const example = /```json\n([\s\S]*?)```/.exec(doc)![1]!;
    const parsed = parseLayoutFile(example);
    expect(parsed.ok).toBe(true);
  });

  it('names the line of a syntax error', () => {
    const result = parseLayoutFile('{\n  "name": "Hall",\n  "city": "X",\n  "sections": [,]\n}');
    expect(result).toMatchObject({ ok: false, errors: [{ line: 4 }] });
  });

  it('names the line and path of each value the schema refuses', () => {
    const text = JSON.stringify(
      {
        name: 'Hall',
        city: 'Leeds',
        sections: [
          { label: 'A', name: 'A', origin: { x: 0, y: 0 }, rows: [{ label: '1', seats: 0 }] },
          { label: 'a', name: 'B', origin: { x: 0, y: 0 }, rows: [] },
        ],
      },
      null,
      2,
    );
    const result = parseLayoutFile(text);
    if (result.ok) throw new Error('expected errors');
    const lines = text.split('\n');
    const seats = result.errors.find((e) => e.path === 'sections.0.rows.0.seats')!;
    expect(lines[seats.line - 1]).toContain('"seats": 0');
    const empty = result.errors.find((e) => e.path === 'sections.1.rows')!;
    expect(empty.message).toBe('a section needs at least one row');
    expect(lines[empty.line - 1]).toContain('"rows": []');
  });

  it('maps every value of a document to its line', () => {
    const lines = jsonPathLines('{\n "a": [\n  1,\n  {"b": "x\\"y"}\n ],\n "c": null\n}');
    expect(Object.fromEntries(lines)).toEqual({ '': 1, a: 2, 'a.0': 3, 'a.1': 4, 'a.1.b': 4, c: 6 });
  });
});

describe('syntax error positions', () => {
  it.each([
    ['{"a": 1,}', 8],
    ['[1, 2', 5],
    ['{"a" 1}', 5],
    ['{"a": tru}', 6],
    ['{"a": 1} x', 9],
  ])('%s fails at %i', (text, offset) => {
    expect(syntaxErrorOffset(text)).toBe(offset);
  });
});
