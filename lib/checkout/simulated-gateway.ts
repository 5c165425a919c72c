import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import {
  declineMessage,
  type ChargeRequest,
  type PaymentEvent,
  type PaymentOutcome,
  type PaymentProvider,
  type RefundOutcome,
  type RefundRequest,
} from './payment-provider';

type Kind = 'ok' | 'dl' | 'dc' | 'nf';

/** Stripe's test PaymentMethod ids and what Stripe test mode does with them; pm_card_delayed is ours (see contracts). */
const BEHAVIOUR: Record<string, Kind> = {
  pm_card_visa: 'ok',
  pm_card_mastercard: 'ok',
  pm_card_amex: 'ok',
  pm_card_delayed: 'dl',
  pm_card_chargeDeclined: 'dc',
  pm_card_visa_chargeDeclined: 'dc',
  pm_card_chargeDeclinedInsufficientFunds: 'nf',
  pm_card_visa_chargeDeclinedInsufficientFunds: 'nf',
};

export type SimulatedGatewayOptions = {
  /** How long pm_card_delayed stays processing. */
  delayMs?: number;
  now?: () => number;
};

/**
 * The payment gateway of the embedded and dev modes. It answers like Stripe test mode for Stripe's test
 * PaymentMethod ids, replays answers by idempotency key, and reports late results as PaymentEvents the way Stripe
 * sends webhooks. A payment id carries its kind and creation time, so `retrieve` still answers after a restart.
 */
export class SimulatedGateway implements PaymentProvider {
  readonly name = 'simulated' as const;
  private readonly delayMs: number;
  private readonly now: () => number;
  private readonly answers = new Map<string, { fingerprint: string; outcome: PaymentOutcome }>();
  private readonly listeners = new Set<(event: PaymentEvent) => void | Promise<void>>();

  constructor(options: SimulatedGatewayOptions = {}) {
    this.delayMs = options.delayMs ?? 4_000;
    this.now = options.now ?? Date.now;
  }

  /** Late results (the delayed card) are announced here, like a webhook. */
  onEvent(listener: (event: PaymentEvent) => void | Promise<void>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async charge(request: ChargeRequest, idempotencyKey: string): Promise<PaymentOutcome> {
    const fingerprint = `${request.amountMinor}:${request.currency}:${request.paymentMethodId}`;
    const previous = this.answers.get(idempotencyKey);
    if (previous) {
      if (previous.fingerprint !== fingerprint)
        throw new Error(`simulated gateway: idempotency key ${idempotencyKey} was used with other parameters`);
      return previous.outcome;
    }
    const kind = BEHAVIOUR[request.paymentMethodId];
    let outcome: PaymentOutcome;
    if (!kind) {
      outcome = {
        status: 'declined',
        providerPaymentId: null,
        code: 'invalid_payment_method',
        message: 'Test mode accepts only the test cards listed on this page.',
      };
    } else {
      const id = `pi_sim_${this.now().toString(36)}_${kind}_${randomBytes(6).toString('hex')}`;
      outcome = this.outcomeOf(id);
      if (outcome.status === 'processing') this.announceLater(id, request.orderId);
    }
    this.answers.set(idempotencyKey, { fingerprint, outcome });
    return outcome;
  }

  async retrieve(providerPaymentId: string): Promise<PaymentOutcome> {
    return this.outcomeOf(providerPaymentId);
  }

  async refund(request: RefundRequest, idempotencyKey: string): Promise<RefundOutcome> {
    // Derived from the key: asking twice names the same refund, which is what Stripe's replay gives.
    const id = `re_sim_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24)}`;
    return { status: request.amountMinor > 0 ? 'succeeded' : 'failed', providerRefundId: id };
  }

  private outcomeOf(id: string): PaymentOutcome {
    const match = /^pi_sim_([0-9a-z]+)_(ok|dl|dc|nf)_[0-9a-f]+$/.exec(id);
    if (!match) throw new Error(`simulated gateway: no such payment ${id}`);
    const created = parseInt(match[1]!, 36);
    switch (match[2] as Kind) {
      case 'ok':
        return { status: 'succeeded', providerPaymentId: id };
      case 'dl':
        return this.now() >= created + this.delayMs
          ? { status: 'succeeded', providerPaymentId: id }
          : { status: 'processing', providerPaymentId: id };
      case 'dc':
        return {
          status: 'declined',
          providerPaymentId: id,
          code: 'generic_decline',
          message: declineMessage('generic_decline'),
        };
      case 'nf':
        return {
          status: 'declined',
          providerPaymentId: id,
          code: 'insufficient_funds',
          message: declineMessage('insufficient_funds'),
        };
    }
  }

  private announceLater(providerPaymentId: string, orderId: string): void {
    const timer = setTimeout(() => {
      for (const listener of this.listeners) {
        void Promise.resolve(listener({ type: 'payment.succeeded', providerPaymentId, orderId })).catch(() => {
          // A listener that fails leaves the payment processing; reconciliation reads it from `retrieve` later.
        });
      }
    }, this.delayMs);
    timer.unref?.();
  }
}
