import 'server-only';
import { assertAdmitted, cookiesOnly } from '@/lib/queue/assert-admitted';
import { admissionCookies } from '@/lib/queue/cookies';
import { endShoppingWindow } from '@/lib/queue/end-shopping-window';
import type { CheckoutDeps } from './deps';
import type { CheckoutGuards } from './pay-for-hold';

/**
 * The waiting room's part in a checkout, built from the request's cookies: the buyer must hold a current admission
 * for the hold's event (checked before anything is charged), and a paid order ends their shopping window so the
 * next person in line gets in.
 */
export function checkoutGuards(
  deps: CheckoutDeps,
  cookieHeader: string | null,
  viewer: { id: string },
): CheckoutGuards {
  const carrier = cookiesOnly(cookieHeader);
  return {
    admit: (eventId) => assertAdmitted(carrier, eventId, viewer, { queue: deps.queue, now: deps.now() }),
    admittedEvents: () => admissionCookies(cookieHeader).map((c) => c.eventId),
    onPaid: async (order) => {
      await endShoppingWindow(order.eventId, order.userId, {
        db: deps.db,
        queue: deps.queue,
        leases: deps.leases,
        now: deps.now(),
      });
    },
  };
}
