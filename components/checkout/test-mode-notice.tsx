import { testPaymentMethodsFor } from '@/lib/contracts/checkout';

/** Says plainly that no real money moves, and which test cards do what. */
export function TestModeNotice({ provider }: { provider: 'simulated' | 'stripe' }) {
  return (
    <aside
      aria-label="Test mode"
      className="rounded-xl border-2 border-dashed border-amber-400 bg-amber-50 p-4 text-sm text-amber-950"
    >
      <p className="font-bold">Test mode: no real money is charged.</p>
      <p className="mt-1">
        {provider === 'simulated'
          ? 'Payments go to a simulated gateway that answers like Stripe’s test mode.'
          : 'Payments go to Stripe in test mode.'}{' '}
        Use one of these test cards:
      </p>
      <ul className="mt-2 space-y-0.5">
        {testPaymentMethodsFor(provider).map((pm) => (
          <li key={pm.id}>
            <code className="rounded bg-white/70 px-1 [overflow-wrap:anywhere]">{pm.id}</code> {pm.outcome}
          </li>
        ))}
      </ul>
    </aside>
  );
}
