/**
 * One error type for everything the domain refuses on purpose. Each code has a fixed HTTP status and title;
 * clients branch on `code`, people read `title` and `detail`.
 */

import { bodyResponse } from '@/lib/http/response-body';

export const ERROR_CODES = {
  MALFORMED_REQUEST: { status: 400, title: 'The request could not be read' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, title: 'An Idempotency-Key header is required' },
  WEBHOOK_SIGNATURE_INVALID: { status: 400, title: 'The webhook signature is not valid' },
  UNAUTHENTICATED: { status: 401, title: 'Sign in to continue' },
  PAYMENT_DECLINED: { status: 402, title: 'The payment was declined' },
  FORBIDDEN: { status: 403, title: 'You are not allowed to do this' },
  QUEUE_TOKEN_REQUIRED: { status: 403, title: 'Join the waiting room first' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  SEATS_UNAVAILABLE: { status: 409, title: 'Some seats are no longer available' },
  HOLD_NOT_ACTIVE: { status: 409, title: 'This hold is no longer active' },
  HOLD_ALREADY_EXTENDED: { status: 409, title: 'This hold was already extended' },
  EVENT_NOT_ON_SALE: { status: 409, title: 'This event is not on sale' },
  IDEMPOTENCY_KEY_IN_PROGRESS: { status: 409, title: 'A request with this Idempotency-Key is still in progress' },
  INVALID_STATE: { status: 409, title: 'This action is not possible in the current state' },
  CONFLICT: { status: 409, title: 'The request conflicts with the current state' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Send the body as application/json' },
  VALIDATION_FAILED: { status: 422, title: 'The request is not valid' },
  SEAT_LIMIT_EXCEEDED: { status: 422, title: 'Too many seats' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'This Idempotency-Key was used for a different request' },
  /** The problem's `reason`: unknown, inactive, not_yet_valid, expired, exhausted or account_limit. */
  DISCOUNT_CODE_INVALID: { status: 422, title: 'This discount code cannot be used' },
  /** A proof of work must come with the request (high demand): the problem's `challenge` says what to solve. */
  PROOF_OF_WORK_REQUIRED: { status: 428, title: 'Solve the challenge and send the request again' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Something went wrong on our side' },
  PAYMENT_PROVIDER_ERROR: { status: 502, title: 'The payment provider did not answer as expected' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'The service is temporarily unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Extra members of the problem document, e.g. `unavailableSeatIds`, `limit`, `retryAfter`, `errors`. */
export type ProblemExtras = Record<string, unknown>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly extras: ProblemExtras;

  constructor(code: ErrorCode, detail?: string, extras: ProblemExtras = {}, options?: { cause?: unknown }) {
    // A refusal (4xx) is an answer, not a fault: no stack trace, which cost 8% of a sold-out rejection's CPU (issue 14).
    // A 5xx keeps its stack for the log.
    const limit = Error.stackTraceLimit;
    if (ERROR_CODES[code].status < 500) Error.stackTraceLimit = 0;
    try {
      super(detail ?? ERROR_CODES[code].title, options);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.extras = extras;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  [extra: string]: unknown;
};

const problemTypes = new Map<ErrorCode, string>();
/** The problem's `type` URI for a code (made once per code: every refusal of a busy route asks for it). */
export function problemType(code: ErrorCode): string {
  let type = problemTypes.get(code);
  if (type === undefined) problemTypes.set(code, (type = `/problems/${code.toLowerCase().replaceAll('_', '-')}`));
  return type;
}

export function toProblem(error: AppError, instance?: string): Problem {
  return {
    ...error.extras,
    type: problemType(error.code),
    title: ERROR_CODES[error.code].title,
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(instance ? { instance } : {}),
  };
}

export function problemResponse(error: AppError, init: { instance?: string; headers?: HeadersInit } = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('content-type', 'application/problem+json');
  headers.set('cache-control', 'no-store');
  const retryAfter = error.extras.retryAfter;
  if (typeof retryAfter === 'number' && !headers.has('retry-after'))
    headers.set('retry-after', String(Math.ceil(retryAfter)));
  return bodyResponse(JSON.stringify(toProblem(error, init.instance)), { status: error.status, headers });
}
