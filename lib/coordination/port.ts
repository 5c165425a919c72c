import type { QueueStore } from '@/lib/queue/store/port';
import type { Leases } from './leases/port';
import type { RateLimitStore } from './rate-limits/port';
import type { SeatFilter } from './seats/port';

/**
 * The process's connection to the coordination store (Redis, or this process in the embedded mode), and the four
 * ports built on it. A domain takes only the port it needs, as a field of its deps object:
 * - `seats` (./seats/port.ts), lib/inventory's filter in front of PostgreSQL, and checkout's claim extension;
 * - `queue` (lib/queue/store/port.ts), the waiting room, whose admission rule lives in lib/queue;
 * - `leases` (./leases/port.ts), one owner at a time: the pre-queue draw, cancelling an event, spent proofs;
 * - `rateLimits` (./rate-limits/port.ts), lib/ratelimit's shared counters.
 * The ports are built once with the connection, so handing one to a request costs a property read, and a hold's
 * claim, guard included, is still one round trip. Nothing here is a source of truth: PostgreSQL decides. Each port
 * has its own contract suite (tests/integration/coordination-*.contract.test.ts, queue-store.contract.test.ts).
 */
export interface Coordinator {
  readonly mode: 'redis' | 'upstash' | 'memory';
  readonly seats: SeatFilter;
  readonly queue: QueueStore;
  readonly leases: Leases;
  readonly rateLimits: RateLimitStore;

  /** Round trip to the store; throws when it does not answer. */
  ping(): Promise<void>;

  close(): Promise<void>;
}
