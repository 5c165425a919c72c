import type { Till } from '@/lib/contracts/counter';

/**
 * A spreadsheet cell: quoted when it holds a separator, a quote or a line break; and a cell a spreadsheet would run
 * as a formula (a staff member's name starting with =, +, - or @) is prefixed with an apostrophe.
 */
export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const HEADER = [
  'date',
  'time_zone',
  'staff_name',
  'staff_email',
  'method',
  'currency',
  'sales',
  'sales_minor',
  'voids',
  'voids_minor',
  'net_minor',
];

/** GET /api/counter/till/export: the till as CSV, one line per staff member, method and currency, amounts in minor units. */
export function tillCsv(till: Till): string {
  const lines = [HEADER.join(',')];
  for (const r of till.rows) {
    lines.push(
      [
        till.date,
        till.timeZone,
        r.staffName,
        r.staffEmail,
        r.method,
        r.currency,
        r.sales,
        r.salesMinor,
        r.voids,
        r.voidsMinor,
        r.netMinor,
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
