import { describe, expect, it } from 'vitest';
import { eventInputSchema } from '@/lib/contracts/admin-event';
import {
  draftAmountErrors,
  draftToBody,
  emptyEventDraft,
  valuesToDraft,
  type EventDraft,
  type EventValues,
} from './event-draft';

const venueId = '00000000-0000-4000-8000-000000000001';
const draftIn = (currency: string, fee: string, prices: string[]): EventDraft => {
  const d = emptyEventDraft(venueId, 'Asia/Tokyo');
  return {
    ...d,
    name: 'Winter Concert',
    performer: 'Hikari Ensemble',
    currency,
    fee,
    tiers: prices.map((price, i) => ({ ...d.tiers[0]!, key: `t${i}`, name: `Tier ${i + 1}`, price })),
  };
};

describe('the event form’s amounts (decision 045)', () => {
  it('sends yen typed as "¥5,000" as 5000, never ×100', () => {
    const body = draftToBody(draftIn('JPY', '¥500', ['¥5,000', '12000', '3.500']));
    expect(body.feePerTicketMinor).toBe(500);
    expect((body.tiers as { priceMinor: number }[]).map((t) => t.priceMinor)).toEqual([5000, 12000, 3500]);
    expect(eventInputSchema.safeParse(body).success).toBe(true);
  });

  it('sends euros typed either way as cents', () => {
    const body = draftToBody(draftIn('EUR', '3,50', ['€45', '29.90', '1.234,50']));
    expect(body.feePerTicketMinor).toBe(350);
    expect((body.tiers as { priceMinor: number }[]).map((t) => t.priceMinor)).toEqual([4500, 2990, 123450]);
  });

  it('says which amount cannot be read and why', () => {
    const errors = draftAmountErrors(draftIn('JPY', '2.5', ['¥5,000', 'five']));
    expect([...errors]).toEqual([
      ['feePerTicketMinor', 'JPY has no smaller unit: give a whole amount'],
      ['tiers.1.priceMinor', 'not an amount in JPY'],
    ]);
  });

  it('shows stored amounts for editing in the currency’s units', () => {
    const values: EventValues = {
      ...(draftToBody(draftIn('JPY', '500', ['5000'])) as unknown as EventValues),
      startsAt: new Date().toISOString(),
      onSaleAt: new Date().toISOString(),
      refundPolicy: [],
      assignments: [],
      tiers: [{ name: 'Standard', priceMinor: 5000, color: '#2563eb' }],
    };
    const yen = valuesToDraft(values);
    expect([yen.fee, yen.tiers[0]!.price]).toEqual(['500', '5000']);
    const euros = valuesToDraft({ ...values, currency: 'EUR', feePerTicketMinor: 350 });
    expect([euros.fee, euros.tiers[0]!.price]).toEqual(['3.50', '50']);
  });
});
