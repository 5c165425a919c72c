'use client';

/** Opens the browser's print dialog for the tickets on the page. */
export function PrintButton() {
  return (
    <button
      type="button"
      onClick={() => window.print()}
      className="rounded-lg bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
    >
      Print
    </button>
  );
}
