import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { bodyResponse } from '@/lib/http/response-body';
import { route } from '@/lib/http/route';

/**
 * Does nothing: the baseline the benchmarks compare every figure against (same server, same wrapper, its body written
 * the way the hot routes' are). Only builds made for benchmarks contain it (its `.bench.ts` name, see
 * next.config.js), and even there it answers only when BENCH_ROUTES=1, which the benchmarks set for the app they
 * start; otherwise 404 like any unknown path.
 */
export const GET = route('bench.noop', {}, async () => {
  if (env().BENCH_ROUTES !== '1') throw new AppError('NOT_FOUND', 'Not found.');
  return bodyResponse('{}', { headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
});
