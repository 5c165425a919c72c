import type { PaymentProvider } from '@/lib/checkout/payment-provider';

/**
 * The "provider" of money taken at the counter: the staff member has the cash or the terminal's slip in hand before
 * the sale is recorded, so nothing is called. Only finaliseOrder and issueRefund reach it (a sale whose seats were
 * lost, a void): both settle at once, the cash going back across the counter.
 */
export const counterPayments: PaymentProvider = {
  name: 'counter',
  async charge(request) {
    return { status: 'succeeded', providerPaymentId: counterPaymentId(request.orderId) };
  },
  async retrieve(providerPaymentId) {
    return { status: 'succeeded', providerPaymentId };
  },
  async refund(request) {
    return { status: 'succeeded', providerRefundId: `counter_refund_${request.refundId}` };
  },
};

/** The payment's "provider id": unique like every provider id, and recognisable in the orders desk. */
export const counterPaymentId = (orderId: string) => `counter_${orderId}`;
