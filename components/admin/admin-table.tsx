import type { ReactNode } from 'react';

/** A heading of the organizer's tables: `numeric` right-aligns it (and its cells), `hidden` keeps it for screen readers only. */
export type AdminColumn = { label: string; numeric?: boolean; hidden?: boolean };

/** The heading row of an organizer table. */
export function ColumnHeadings({ columns }: { columns: AdminColumn[] }) {
  return (
    <tr>
      {columns.map((c) => (
        <th key={c.label} scope="col" className={`px-4 py-3 font-semibold ${c.numeric ? 'text-right' : ''}`}>
          {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
        </th>
      ))}
    </tr>
  );
}

/** The top of an organizer list page: its title, a line about it, and the button that adds to the list. */
export function AdminListHeader({ title, intro, action }: { title: string; intro: ReactNode; action: ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">{title}</h1>
        <p className="mt-1 text-slate-700">{intro}</p>
      </div>
      {action}
    </div>
  );
}

/** A list of the organizer's pages as a table (events, venues): the headings from `columns`, the rows as children. */
export function AdminTable({
  columns,
  className = '',
  children,
}: {
  columns: AdminColumn[];
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={`relative overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200 ${className}`}>
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-700">
          <ColumnHeadings columns={columns} />
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
