/** The calendar date (YYYY-MM-DD) of an instant in a time zone: "today" at the counter is the venue's today. */
export function localDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
