import { describe, expect, it } from 'vitest';
import { lineOfPath, parseJsonWithLines } from './locate-json';

const doc = JSON.stringify(
  { name: 'Hall', sections: [{ label: 'A', rows: [{ label: '1', seats: 10 }, { label: '1', seats: 0 }] }, { label: 'B, "quoted" }', rows: [] }] },
  null,
  2,
);

describe('locating problems in an uploaded JSON file', () => {
  it('names the line and column of a syntax error', () => {
    const broken = '{\n  "name": "Hall",\n  "sections": [\n    { "label": "A" }\n    { "label": "B" }\n  ]\n}';
    const result = parseJsonWithLines(broken);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.line).toBe(5);
      expect(result.problem.reason).toMatch(/Expected|Unexpected/);
    }
  });

  it('finds the line a path starts on, through objects, arrays and awkward strings', () => {
    const lines = doc.split('\n');
    const lineOf = (needle: string) => lines.findIndex((l) => l.includes(needle)) + 1;
    expect(lineOfPath(doc, ['name'])).toBe(lineOf('"name"'));
    expect(lineOfPath(doc, ['sections', 0, 'rows', 1, 'seats'])).toBe(lineOf('"seats": 0'));
    expect(lineOfPath(doc, ['sections', 1, 'rows'])).toBe(lineOf('"rows": []'));
    expect(lineOfPath(doc, ['sections', 1, 'label'])).toBe(lineOf('quoted'));
    // A missing property points at its nearest existing parent.
    expect(lineOfPath(doc, ['sections', 0, 'rows', 1, 'flags'])).toBe(lineOf('"seats": 0') - 2);
    expect(lineOfPath(doc, [])).toBe(1);
  });
});
