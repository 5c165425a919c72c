/** What the scenarios share: a scaled-down on-sale configuration and small readers of the app's answers. */
import { onSaleConfig, type OnSaleConfig, type SaleRecord } from '../lib/onsale';

/** A smaller on-sale than bench:onsale (CHAOS_BUYERS / CHAOS_SEATS scale it). */
export function chaosConfig(overrides: Partial<OnSaleConfig> = {}): OnSaleConfig {
  const base = onSaleConfig({
    buyers: 400,
    seats: 2_000,
    arrivalMs: 10_000,
    queueCapacity: 60,
    admissionRatePerMinute: 900,
    thinkMs: 1_000,
    ...overrides,
  });
  if (process.env.CHAOS_BUYERS) base.buyers = Number(process.env.CHAOS_BUYERS);
  if (process.env.CHAOS_SEATS) base.seats = Number(process.env.CHAOS_SEATS);
  return base;
}

/** Reads one sample of a Prometheus metric (sum over labels matching `labelFilter`). */
export async function metric(url: string, name: string, labelFilter = ''): Promise<number | null> {
  try {
    const res = await fetch(`${url}/api/metrics`, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return null;
    let sum = 0;
    let found = false;
    for (const line of (await res.text()).split('\n')) {
      if (!line.startsWith(name) || line.startsWith('#')) continue;
      const rest = line.slice(name.length);
      if (!(rest.startsWith(' ') || rest.startsWith('{'))) continue;
      if (labelFilter && !rest.includes(labelFilter)) continue;
      sum += Number(line.split(' ').at(-1));
      found = true;
    }
    return found ? sum : 0;
  } catch {
    return null;
  }
}

/** Answers of the sale within [from, to) ms, by kind and status. */
export function window(record: SaleRecord, from: number, to: number, kinds?: string[]) {
  const inside = record.timeline.filter((e) => e.t >= from && e.t < to && (!kinds || kinds.includes(e.kind)));
  const by: Record<string, number> = {};
  for (const e of inside) by[`${e.kind} ${e.status}`] = (by[`${e.kind} ${e.status}`] ?? 0) + 1;
  return { entries: inside, by };
}

export const statusLine = (by: Record<string, number>) =>
  Object.entries(by)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ') || 'none';
