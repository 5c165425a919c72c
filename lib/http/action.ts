import 'server-only';
import { headers } from 'next/headers';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import type { ActionResult } from '@/lib/contracts/action-result';
import { toProblem } from '@/lib/errors';
import { limitRate, resolveViewer, type AuthMode, type ViewerFor } from '@/lib/http/entry-guards';
import { parseWith, sheddingFor, toAppError } from '@/lib/http/route';
import { requestContext } from '@/lib/observability/request-context';
import type { RateLimitName } from '@/lib/ratelimit/policies';

export type ActionOptions = {
  /** Who may call (lib/http/entry-guards.ts); `fn` receives the viewer, non-null for 'viewer' and 'admin'. */
  auth?: AuthMode;
  /** A rate-limit policy counted per account and per client address, like a route's. */
  rateLimit?: RateLimitName;
  /** The load-shedding pool to run in: a route's name shares that route's pool (the checkout page and POST /api/checkout). */
  shed?: string;
  /** The shared zod schema (lib/contracts) of the action's one argument; `fn` receives it parsed. */
  input?: z.ZodType;
  /**
   * Fields of the argument to hand back, as submitted, when the action refuses (ActionResult's `values`): a form
   * that works without JavaScript is rendered again from the result and shows them, instead of empty inputs. Never
   * a secret: a name that looks like one is refused when the action is defined.
   */
  echo?: readonly string[];
};

/** Field names echo must never send back into a page. */
const SECRET_FIELD = /pass|secret|token|pow|proof/i;

type InputOf<O> = O extends { input: infer S extends z.ZodType } ? z.infer<S> : undefined;

/** What an action's function receives: only what its options promise is typed as present. */
export type ActionContext<O extends ActionOptions> = {
  viewer: ViewerFor<O['auth']>;
  input: InputOf<O>;
  headers: Headers;
};

/**
 * The twin of route() for server actions, which Next serves as same-origin POSTs without headers of their own:
 * the same guards in the same order (auth, then the rate limit, then the input against its shared schema, all
 * inside the load-shedding pool when named), and the same error mapping (toAppError), answered as one shape,
 * ActionResult, instead of problem+json; a refusal carries the `echo` fields as submitted. A redirect() or
 * notFound() thrown by `fn` goes on to Next untouched (the sign-in and sign-up forms end that way).
 */
export function action<const O extends ActionOptions, T>(
  name: string,
  options: O,
  fn: (context: ActionContext<O>) => Promise<T>,
): (raw?: unknown) => Promise<ActionResult<T>> {
  const run = options.shed ? sheddingFor(options.shed) : undefined;
  const secret = options.echo?.find((field) => SECRET_FIELD.test(field));
  if (secret) throw new Error(`action ${name}: echo would send "${secret}" back into the page; leave it out`);
  return async (raw) => {
    const incoming = await headers();
    const requestId = crypto.randomUUID();
    return requestContext.run({ requestId, route: name }, async (): Promise<ActionResult<T>> => {
      const guarded = async () => {
        const viewer = (await resolveViewer(incoming, options.auth)) as ViewerFor<O['auth']>;
        await limitRate(options.rateLimit, viewer, incoming);
        const input = (options.input ? parseWith(options.input, raw) : undefined) as InputOf<O>;
        return fn({ viewer, input, headers: incoming });
      };
      try {
        return { ok: true, value: await (run ? run(guarded) : guarded()) };
      } catch (error) {
        unstable_rethrow(error);
        const problem = toProblem(toAppError(error, { requestId, route: name }));
        return { ok: false, problem, ...fieldErrorsOf(problem.errors), ...echoed(raw, options.echo) };
      }
    });
  };
}

/** A VALIDATION_FAILED problem's errors as one message per field (the first for each), for forms to show in place. */
function fieldErrorsOf(errors: unknown): { fieldErrors?: Record<string, string> } {
  if (!Array.isArray(errors) || errors.length === 0) return {};
  const fieldErrors: Record<string, string> = {};
  for (const { path, message } of errors as { path: string; message: string }[])
    fieldErrors[path || 'form'] ??= message;
  return { fieldErrors };
}

/** The `echo` fields of the raw argument that are text, as submitted (before the schema trimmed or refused them). */
function echoed(raw: unknown, fields: readonly string[] | undefined): { values?: Record<string, string> } {
  if (!fields?.length || !raw || typeof raw !== 'object') return {};
  const values: Record<string, string> = {};
  for (const field of fields) {
    const value = (raw as Record<string, unknown>)[field];
    if (typeof value === 'string') values[field] = value;
  }
  return { values };
}
