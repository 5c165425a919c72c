import type { ReactNode } from 'react';

/** A labelled select of the seat pages (best available, the list of seats); `className` sizes it. */
export function LabelledSelect({
  id,
  label,
  value,
  onChange,
  className = '',
  children,
}: {
  id: string;
  label: string;
  value: string | number;
  onChange: (value: string) => void;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={`mt-1 min-h-11 rounded-lg border border-slate-300 bg-white text-base ${className}`}
      >
        {children}
      </select>
    </div>
  );
}

/** A checkbox with its label beside it, as large as a finger. */
export function CheckboxField({
  checked,
  onChange,
  children,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
}) {
  return (
    <label className="flex min-h-11 items-center gap-2 text-sm">
      <input type="checkbox" className="h-5 w-5" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {children}
    </label>
  );
}
