/** Adds or replaces cookies in a Cookie header. */
export function withCookies(header: string, extra: Record<string, string>): string {
  const jar = new Map(
    header
      .split('; ')
      .filter(Boolean)
      .map((c) => [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)] as const),
  );
  for (const [k, v] of Object.entries(extra)) jar.set(k, v);
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** name=value of a Set-Cookie header. */
export const cookiePair = (setCookie: string | null): [string, string] => {
  const pair = (setCookie ?? '').split(';')[0]!;
  return [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
};
