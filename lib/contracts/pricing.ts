/** The closed sets of the money math (lib/pricing/price-order.ts, decision 040), shared by schema, forms and API. */
export const TAX_MODES = ['none', 'inclusive', 'exclusive'] as const;
export type TaxMode = (typeof TAX_MODES)[number];
export const DISCOUNT_KINDS = ['percent', 'fixed'] as const;
export const DISCOUNT_SCOPES = ['order', 'ticket'] as const;
