import 'server-only';
import { checkoutDeps, type CheckoutDeps } from '@/lib/checkout/deps';
import { counterPayments } from './counter-payments';

/** Checkout's dependencies with the counter's payments in place of the online provider. */
export type CounterDeps = CheckoutDeps;

export async function counterDeps(): Promise<CounterDeps> {
  return { ...(await checkoutDeps()), payments: counterPayments };
}
