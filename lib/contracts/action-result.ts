import type { Problem } from '@/lib/errors';

/**
 * What every server action answers (lib/http/action.ts): its value, or the problem a route would have answered as
 * problem+json (the same code, detail and extras), with one message per form field when the input was invalid.
 * An action that declares `echo` also hands back those submitted fields as `values` when it refuses, so a form that
 * works without JavaScript can show them again (never a password). Forms that keep it as their state start from `null`.
 */
export type ActionResult<T> =
  | { ok: true; value: T }
  | { ok: false; problem: Problem; fieldErrors?: Record<string, string>; values?: Record<string, string> };

/** The sentence a form shows for a refused action: the field's own message when there is one, else the problem's. */
export function actionError(state: ActionResult<unknown> | null, field?: string): string | undefined {
  if (!state || state.ok) return undefined;
  return (field && state.fieldErrors?.[field]) || state.problem.detail;
}
