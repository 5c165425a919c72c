import { buttonClass } from '@/components/ui/plain-button';

type Props = {
  /** The code the buyer applied (or tried), with the page's verdict. */
  discount: { code: string; applied: boolean; problem: { message: string } | null } | null;
  /** The checkout page's own path, to apply and remove a code with a plain GET (works without JavaScript). */
  action: string;
};

/**
 * The discount code box on the checkout page: the code goes into the page's address (`?code=`), the page prices the
 * order with it and says why a code cannot be used. The payment carries the applied code; its use is counted with
 * the order (decision 040).
 */
export function DiscountCodeForm({ discount, action }: Props) {
  const problem = discount?.problem ?? null;
  if (discount?.applied)
    return (
      <div className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-emerald-200" role="status">
        <p className="text-sm text-emerald-900">
          Discount code <strong className="font-mono">{discount.code}</strong> applied.
        </p>
        <a href={action} className="mt-1 inline-block text-sm font-semibold text-brand-700 underline">
          Remove the code
        </a>
      </div>
    );
  return (
    <form method="get" action={action} className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200">
      <label htmlFor="discount-code" className="block text-sm font-semibold">
        Discount code
      </label>
      <div className="mt-1 flex gap-2">
        <input
          id="discount-code"
          name="code"
          defaultValue={discount?.code ?? ''}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={32}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'discount-code-problem' : undefined}
          className="min-h-11 min-w-0 flex-1 rounded-lg border border-slate-300 px-3 font-mono uppercase"
        />
        <button type="submit" className={buttonClass('secondary')}>
          Apply
        </button>
      </div>
      {problem && (
        <p id="discount-code-problem" role="alert" className="mt-2 text-sm text-red-700">
          {problem.message}
        </p>
      )}
    </form>
  );
}
