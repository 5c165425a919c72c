import { metrics } from '@/lib/observability/metrics';

/**
 * What a counter or gauge of the process's registry reads, summed over the series whose labels include `labels` (0
 * before anything was counted): tests compare it before and after the code path they drive.
 */
export async function metricValue(name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`No metric ${name} is registered.`);
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want))
    .reduce((sum, v) => sum + v.value, 0);
}
