/**
 * What the admin dashboard and the events overview read (GET /api/admin/events/{id}/stats). Plain types with no
 * server imports, so the client components share them. Money is integer minor units; times are ISO 8601.
 */

export type SeatCounts = { available: number; held: number; sold: number; blocked: number; total: number };

/** An amount split three ways, in minor units: net + tax = gross, always. */
export type MoneyParts = { netMinor: number; taxMinor: number; grossMinor: number };

/** An event's money (decision 046): net revenue, tax and gross, for what was sold, refunded and kept. */
export type RevenueFigures = {
  currency: string;
  /** The taxes its orders carried ("VAT 20%", inclusive or exclusive): one, or more if the event's rate changed. */
  taxes: { label: string; mode: 'inclusive' | 'exclusive' }[];
  /** Every order paid for this event, before refunds. */
  sold: MoneyParts;
  /** What went back to buyers; a refund returns the tax with the price. */
  refunded: MoneyParts;
  /** Sold − refunded, part by part: the event's net revenue, the tax it owes, the gross it took. */
  kept: MoneyParts;
  paidOrders: number;
  ticketsSold: number;
};

export type QueueFigures = {
  /** `closed`: not selling (draft, cancelled, started); the coordinator is not asked. */
  phase: 'not-open' | 'prequeue' | 'on-sale' | 'closed';
  /** False when the coordinator did not answer: the counts below are then zero, not measured. */
  reachable: boolean;
  waiting: number;
  prequeue: number;
  active: number;
  capacity: number;
  configuredRatePerMinute: number;
  /** Admissions per minute: measured over the last minutes, or what the settings allow until there is history. */
  ratePerMinute: number;
  rateBasis: 'measured' | 'settings';
  /** Until the last visitor now waiting is admitted; 0 when nobody waits. */
  clearSeconds: number;
};

export type HoldFigures = {
  windowMinutes: number;
  /** From PostgreSQL (every app instance): holds placed in the window and how they ended so far. */
  placed: number;
  active: number;
  converted: number;
  expired: number;
  released: number;
  /** Accounts whose holds in the window all ended unbought and that paid for nothing of this event (possible hoarding). */
  neverPaid: { accounts: number; holds: number; seats: number };
  /** Requests answered by every app process in the same window (each adds its counts to PostgreSQL every 2 s). */
  requests: { granted: number; conflicts: number; refused: number };
  /** granted / requests, conflicts / requests; null without requests. */
  successRate: number | null;
  conflictRate: number | null;
};

export type SalesPoint = {
  at: string;
  tickets: number;
  revenueMinor: number;
  cumulativeTickets: number;
  cumulativeRevenueMinor: number;
};

export type CancelProgress = {
  eventId: string;
  cancelledAt: string;
  /** Paid orders still to be cancelled and refunded. */
  remaining: number;
  /** Orders cancelled because the event was. */
  processed: number;
  total: number;
  refunds: { succeeded: number; pending: number; failed: number; refundedMinor: number };
  /** Payments still in flight: refunded as soon as they settle (the background job keeps looking). */
  paymentsInFlight: number;
  done: boolean;
};

/** The waitlist (docs/waitlist.md): live entries per tier asked for (a null tier waits for any). */
export type WaitlistFigures = {
  /** How long an offer stays held for its buyer. */
  offerMinutes: number;
  tiers: { tierId: string | null; tierName: string | null; waiting: number; people: number; offered: number }[];
};

export type EventDashboard = {
  event: {
    id: string;
    name: string;
    status: 'draft' | 'published' | 'cancelled';
    venueName: string;
    city: string;
    startsAt: string;
    onSaleAt: string;
    timezone: string;
    currency: string;
    cancelledAt: string | null;
  };
  seats: SeatCounts;
  revenue: RevenueFigures;
  sales: { bucketSeconds: number; points: SalesPoint[] };
  queue: QueueFigures;
  holds: HoldFigures;
  waitlist: WaitlistFigures;
  cancellation: CancelProgress | null;
  generatedAt: string;
};

export type EventOverviewRow = {
  id: string;
  name: string;
  status: 'draft' | 'published' | 'cancelled';
  venueName: string;
  startsAt: string;
  timezone: string;
  seats: SeatCounts;
  revenue: Pick<RevenueFigures, 'currency' | 'kept' | 'ticketsSold'>;
  queue: Pick<QueueFigures, 'phase' | 'reachable' | 'waiting' | 'active'>;
};
