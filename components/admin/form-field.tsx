import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import type { z } from 'zod';
import { issueMessage } from '@/lib/contracts/issue-message';

/** Field errors by path ("tiers.0.name"), as the admin APIs and the forms' own checks report them. */
export type FieldErrors = Map<string, string>;

/** A schema check's issues as field errors: the first message for each path, in plain words. */
export function fieldErrorsOf(issues: readonly z.core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = new Map();
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    if (!errors.has(path)) errors.set(path, issueMessage(issue));
  }
  return errors;
}

/** The first message for this path or anything inside it (a list field collects its items' errors). */
export const errorAt = (errors: FieldErrors, path: string) => {
  for (const [p, m] of errors) if (p === path || p.startsWith(`${path}.`)) return m;
  return undefined;
};

export const inputClass = (invalid: boolean, disabled = false) =>
  `mt-1 block w-full rounded-md border px-2.5 py-2 text-sm shadow-sm focus:border-brand-600 ${invalid ? 'border-red-600' : 'border-slate-300'} ${disabled ? 'bg-slate-100 text-slate-600' : 'bg-white text-slate-900'}`;

export type FieldInputProps = {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
  className: string;
  disabled: boolean;
};

/** A labelled input of the organizer forms, with its error (or else its hint) tied to it for screen readers. */
export function FormField(props: {
  id: string;
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  disabled?: boolean;
  input: (p: FieldInputProps) => ReactNode;
}) {
  const { id, label, error, hint, disabled = false } = props;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      {props.input({
        id,
        'aria-invalid': Boolean(error),
        'aria-describedby': error || hint ? `${id}-note` : undefined,
        className: inputClass(Boolean(error), disabled),
        disabled,
      })}
      {error ? (
        <p id={`${id}-note`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-note`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A titled group of an organizer form (the white panels of the event form and the venue builder). */
export function FormSection({ legend, children }: { legend: ReactNode; children: ReactNode }) {
  return (
    <fieldset className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <legend className="px-1 text-lg font-semibold">{legend}</legend>
      {children}
    </fieldset>
  );
}

/** The options of a select: `empty` first (value ""), when given, then each value, shown as `label` says. */
export function Options({
  values,
  empty,
  label = (v) => v,
}: {
  values: readonly string[];
  empty?: string;
  label?: (value: string) => string;
}) {
  return (
    <>
      {empty !== undefined && <option value="">{empty}</option>}
      {values.map((v) => (
        <option key={v} value={v}>
          {label(v)}
        </option>
      ))}
    </>
  );
}

/** The button that removes one item of a list in a form; `what` names the item for screen readers. */
export function RemoveButton({
  what,
  disabled,
  className = '',
  onClick,
}: {
  what: string;
  disabled?: boolean;
  className?: string;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      disabled={disabled}
      className={`min-h-11 rounded-md px-3 text-sm font-semibold text-red-700 hover:bg-red-50 disabled:text-slate-400 ${className}`}
      onClick={onClick}
    >
      Remove<span className="sr-only"> {what}</span>
    </button>
  );
}

/** The button that adds an item to a list in a form. */
export function AddButton({
  disabled,
  className = '',
  onClick,
  children,
}: {
  disabled?: boolean;
  className?: string;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <Button type="button" variant="secondary" className={className} disabled={disabled} onClick={onClick}>
      {children}
    </Button>
  );
}

/** `items` with the one at `index` changed by `patch` (a list item edited in a form). */
export const replaceAt = <T,>(items: readonly T[], index: number, patch: Partial<T>): T[] =>
  items.map((item, i) => (i === index ? { ...item, ...patch } : item));
