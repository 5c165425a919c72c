import { route } from '@/lib/http/route';

/** Does nothing: the baseline the benchmarks compare every figure against (same server, same wrapper). */
export const GET = route('bench.noop', async () => new Response('{}', { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } }));
