import { MemoryQueueStore } from '@/lib/queue/store/memory';
import { MemoryLeases } from './leases/memory';
import type { Coordinator } from './port';
import { MemoryRateLimitStore } from './rate-limits/memory';
import { MemorySeatFilter } from './seats/memory';

/**
 * The four ports in this process, for the embedded mode (one server process). The seat filter's claim guard reads
 * the queue store's ended admissions, as the Redis script reads the queue's key.
 */
export class MemoryCoordinator implements Coordinator {
  readonly mode = 'memory' as const;
  readonly seats: MemorySeatFilter;
  readonly queue = new MemoryQueueStore();
  readonly leases: MemoryLeases;
  readonly rateLimits: MemoryRateLimitStore;

  constructor(now: () => number = Date.now) {
    this.seats = new MemorySeatFilter(now, (eventId, visitor, untilMs) =>
      this.queue.isAdmissionEnded(eventId, visitor, untilMs),
    );
    this.leases = new MemoryLeases(now);
    this.rateLimits = new MemoryRateLimitStore(now);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.seats.forgetAll();
    this.queue.clear();
    this.leases.clear();
    this.rateLimits.clear();
  }
}
