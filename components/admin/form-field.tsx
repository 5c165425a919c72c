import type { ReactNode } from 'react';
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
