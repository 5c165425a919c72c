import type { ReactNode } from 'react';

/**
 * What a list shows when it has nothing in it: one line saying so, an explanation, and the buttons for the next step.
 * `className` places it (its top margin).
 */
export function EmptyState({
  title,
  children,
  actions,
  className = '',
}: {
  title: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  return (
    <div className={`rounded-xl bg-white p-8 text-center shadow-sm ring-1 ring-slate-200 ${className}`}>
      <p className="font-semibold">{title}</p>
      {children && <p className="mt-1 text-slate-600">{children}</p>}
      {actions && <div className="mt-4 flex flex-wrap justify-center gap-2">{actions}</div>}
    </div>
  );
}
