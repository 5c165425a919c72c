import { json, route } from '@/lib/http/route';

/** The benchmarks' baseline: the full route wrapper and JSON answer, no work (bench/queue.ts compares against it). */
export const GET = route('bench.noop', async () => json({ ok: true }));
