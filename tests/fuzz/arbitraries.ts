import fc from 'fast-check';

/** Strings that have broken web apps before: injection, template, path, encoding and unicode edge cases. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  "' OR '1'='1",
  "'; drop table orders; --",
  '1; select pg_sleep(10)--',
  "\\'; select 1; --",
  '$$; select 1; $$',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '${7*7}{{7*7}}#{7*7}',
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%00',
  '%ZZ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83dy',
  '\u202eevil\u202c',
  '\u200b\u200d\ufeff',
  '\u0130\u0131ß\ufb01',
  'Z̷̢͎a̸̛l̵g̶o̸',
  '🎟️🎟️🎟️',
  '\r\nSet-Cookie: x=1',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x1f',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '00000000-0000-0000-0000-00000000000g',
  ' 00000000-0000-0000-0000-000000000000 ',
  'pm_card_visa',
  'pm_' + 'a'.repeat(300),
  'a'.repeat(10_000),
  '\u00e9'.repeat(5_000),
  '\ud83d\ude00'.repeat(3_000),
  '[]',
  '{}',
  'true',
  '2026-02-30',
  '9999-12-31T23:59:59.999Z',
  '0001-01-01T00:00:00Z',
  '2026-01-01T00:00:00+25:00',
];

export const BOUNDARY_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  1.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  Number.EPSILON,
];

/** Any string a client could send, lone surrogates and control characters included. */
export const anyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.uuid() },
);

export const anyNumber = fc.oneof(
  fc.constantFrom(...BOUNDARY_NUMBERS),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, leaning on hostile strings and boundary numbers, arrays huge now and then. */
export const anyJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyString,
    anyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(anyString, tie('value'), { maxKeys: 4 }),
    fc.constantFrom(0, 1, 1000, 100_000).map((n) => Array.from({ length: n }, (_, i) => i + 1)),
  ),
})).value;

/** An object shaped like a request body: each known field valid, hostile or missing, with unknown extras now and then. */
export function shapedBody(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const entries = Object.entries(fields).map(([key, valid]) =>
    fc.oneof(
      { weight: 3, arbitrary: valid.map((v) => [key, v] as const) },
      { weight: 2, arbitrary: anyJson.map((v) => [key, v] as const) },
      { weight: 1, arbitrary: fc.constant(null) },
    ),
  );
  const object = fc
    .tuple(fc.tuple(...entries), fc.option(fc.dictionary(anyString, anyJson, { maxKeys: 2 }), { freq: 4 }))
    .map(([pairs, extra]) => ({
      ...Object.fromEntries(pairs.filter((p): p is readonly [string, unknown] => p !== null)),
      ...(extra ?? {}),
    }));
  return fc.oneof({ weight: 4, arbitrary: object }, { weight: 1, arbitrary: anyJson });
}

/** A request body as bytes: JSON of some value, broken JSON, deeply nested, or far larger than any route accepts. */
export function rawBody(value: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '{',
        '{"seatIds":',
        '[1,2,]',
        "{'a':1}",
        'nul',
        '{"a":1}}',
        '\u0000',
        '\ufeff{}',
        '{"a":NaN}',
        '{"a":1e99999}',
        '"\\ud800"',
        '{"__proto__":{"admin":true}}',
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constantFrom(10, 5_000).map((n) => '['.repeat(n) + ']'.repeat(n)) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(70 * 1024, 1024 * 1024 + 1)
        .map((n) => JSON.stringify({ seatIds: [1], pad: 'x'.repeat(n) })),
    },
  );
}

/** Header values (the Fetch API refuses anything outside Latin-1 or with CR/LF/NUL, so only those). */
export const headerValue = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS.filter(isHeaderSafe)),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 300 }),
  fc.uuid(),
);

export function isHeaderSafe(value: string): boolean {
  try {
    new Headers({ x: value });
    return true;
  } catch {
    return false;
  }
}

export const contentType = fc.oneof(
  { weight: 4, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/problem+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'application/jsonp',
      undefined,
    ),
  },
);
