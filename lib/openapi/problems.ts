import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '@/lib/errors';
import type { ApiOperation } from './operation';

/**
 * The problem document of lib/errors.ts. Loose: a problem carries extra members (`unavailableSeatIds`,
 * `retryAfter`, `errors`, `challenge`, ...) named in its code's description.
 */
export const problemSchema = z
  .looseObject({
    type: z.string().meta({ description: 'a relative URI naming the problem, e.g. /problems/seats-unavailable' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    instance: z.string().optional(),
  })
  .meta({ id: 'Problem', description: 'application/problem+json (RFC 9457) with a stable `code` to branch on' });

/**
 * The refusals an operation has because of what it is, whatever its handler does: server trouble for all (an
 * unexpected error is an opaque 500, an unreachable database or shed load a 503), the same-origin and body-type
 * checks of `route()` for state changes, parsing for bodies and queries, and its access rule.
 */
function impliedErrors(op: ApiOperation): ErrorCode[] {
  const codes: ErrorCode[] = ['INTERNAL', 'SERVICE_UNAVAILABLE'];
  if (op.method !== 'get') codes.push('UNSUPPORTED_MEDIA_TYPE');
  if (op.method !== 'get' && op.access !== 'cron' && op.access !== 'signed') codes.push('FORBIDDEN');
  if (op.body) codes.push('MALFORMED_REQUEST', 'PAYLOAD_TOO_LARGE', 'VALIDATION_FAILED');
  if (op.query) codes.push('VALIDATION_FAILED');
  if (op.access === 'viewer' || op.access === 'operator' || op.access === 'cron') codes.push('UNAUTHENTICATED');
  if (op.access === 'admin' || op.access === 'scanner' || op.access === 'box_office')
    codes.push('UNAUTHENTICATED', 'FORBIDDEN');
  return codes;
}

/** Every code the operation may answer, grouped by HTTP status, each status's codes in the order of lib/errors.ts. */
export function errorsByStatus(op: ApiOperation): Map<number, ErrorCode[]> {
  const all = new Set([...(op.errors ?? []), ...impliedErrors(op)]);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
    if (!all.has(code)) continue;
    const status = ERROR_CODES[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

/** The response object of one status: the Problem component narrowed to that status and its codes, each listed with its title. */
export function problemResponse(status: number, codes: ErrorCode[]) {
  return {
    description: codes.map((code) => `\`${code}\`: ${ERROR_CODES[code].title}`).join('; '),
    content: {
      'application/problem+json': {
        schema: z.intersection(
          problemSchema,
          z.looseObject({ status: z.literal(status), code: z.enum(codes as [ErrorCode, ...ErrorCode[]]) }),
        ),
      },
    },
  };
}
