/**
 * Reads the app's Prometheus counters (/api/metrics) before and after a phase. The endpoint may require
 * `Authorization: Bearer $METRICS_TOKEN`: the benchmark passes the same token to the app and sends it here.
 */
export type Scrape = Map<string, number>;

export async function scrape(baseUrl: string, token?: string): Promise<Scrape> {
  const res = await fetch(`${baseUrl}/api/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`GET /api/metrics answered ${res.status}`);
  const out: Scrape = new Map();
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const value = Number(line.slice(space + 1));
    if (Number.isFinite(value)) out.set(line.slice(0, space), value);
  }
  return out;
}

/** Sum of a metric's series whose labels include every `labels` pair. */
export function metric(s: Scrape, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const [series, value] of s) {
    if (series !== name && !series.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => series.includes(`${k}="${v}"`))) sum += value;
  }
  return sum;
}

export const metricDelta = (before: Scrape, after: Scrape, name: string, labels: Record<string, string> = {}) =>
  metric(after, name, labels) - metric(before, name, labels);
