import { describe, expect, it } from 'vitest';
import { admissionRate, estimateWait, pollAfter, sellOutRisk } from '@/lib/queue/estimate';

const event = { admissionRatePerMinute: 60, queueCapacity: 100, shoppingWindowMinutes: 10 };
const now = 1_900_000_000_000;

describe('wait estimates', () => {
  it('measures the admission rate once there is a minute of history, capped by the configured rate', () => {
    expect(admissionRate(event, { count: 90, sinceMs: now - 3 * 60_000 }, now)).toEqual({
      ratePerMinute: 30,
      basis: 'measured',
    });
    expect(admissionRate(event, { count: 900, sinceMs: now - 3 * 60_000 }, now)).toEqual({
      ratePerMinute: 60,
      basis: 'measured',
    });
    // Less than a minute, or nothing admitted lately: the settings' steady state (capacity turns over once per window).
    expect(admissionRate(event, { count: 50, sinceMs: now - 30_000 }, now)).toEqual({
      ratePerMinute: 10,
      basis: 'settings',
    });
    expect(admissionRate(event, { count: 0, sinceMs: now }, now)).toEqual({ ratePerMinute: 10, basis: 'settings' });
  });

  it('fills free places at the configured rate and the rest as fast as shoppers leave', () => {
    const rate = { ratePerMinute: 10, basis: 'settings' as const };
    expect(estimateWait(30, { free: 50, configuredPerMinute: 60, rate })).toEqual({
      seconds: 30,
      ratePerMinute: 60,
      basis: 'settings',
      waitsForShoppers: false,
    });
    expect(estimateWait(70, { free: 50, configuredPerMinute: 60, rate })).toEqual({
      seconds: 50 + 120,
      ratePerMinute: 24.7,
      basis: 'settings',
      waitsForShoppers: true,
    });
    expect(estimateWait(20, { free: 0, configuredPerMinute: 60, rate })).toMatchObject({
      seconds: 120,
      waitsForShoppers: true,
    });
  });

  it('counts only free shopping places: with the capacity full, the next person waits for the shoppers beyond it too', () => {
    // Issue 16: capacity 1 with 2 people shopping; the next in line said "about 1 minute" for over 3 minutes.
    const rate = { ratePerMinute: 1, basis: 'measured' as const };
    expect(estimateWait(1, { free: -1, configuredPerMinute: 600, rate })).toEqual({
      seconds: 120,
      ratePerMinute: 0.5,
      basis: 'measured',
      waitsForShoppers: true,
    });
    expect(estimateWait(1, { free: 0, configuredPerMinute: 600, rate })).toMatchObject({
      seconds: 60,
      waitsForShoppers: true,
    });
    // A free place: in at the configured rate, nobody has to finish first.
    expect(estimateWait(1, { free: 1, configuredPerMinute: 600, rate })).toMatchObject({
      seconds: 1,
      waitsForShoppers: false,
    });
  });

  it('suggests polling often near the front and around the on-sale, rarely far back', () => {
    // [position, seconds to go, measured admissions a minute, poll after ms]
    const measured = [
      [5, 600, 1, 2_000],
      [5_000, 3, 1e5, 2_000],
      [5_000, 30, 1e4, 10_000],
      [5_000, 3_600, 83, 60_000],
    ] as const;
    for (const [position, seconds, ratePerMinute, ms] of measured) {
      const eta = { seconds, ratePerMinute, basis: 'measured' as const, waitsForShoppers: false };
      expect(pollAfter({ state: 'waiting', position, eta }, { onSale: 0, opens: 0 })).toBe(ms);
    }
    expect(pollAfter({ state: 'waiting', position: 500, eta: null }, { onSale: 0, opens: 0 })).toBe(2_000);
    // The pace follows the earliest this visitor could go in (the configured rate), not an estimate that waits for
    // shoppers: 600th in a line let in at 6,000 a minute could be in within 6 s, so asks every 2 s, not every 60.
    const waitingForShoppers = {
      seconds: 3_600,
      ratePerMinute: 10,
      basis: 'settings' as const,
      waitsForShoppers: true,
    };
    // [position, configured admissions a minute, poll after ms]
    const configured = [
      [600, 6_000, 2_000],
      [5_000, 1_800, 55_556],
      [20_000, 1_800, 60_000],
    ] as const;
    for (const [position, admissionRatePerMinute, ms] of configured) {
      const timing = { onSale: 0, opens: 0, admissionRatePerMinute };
      expect(pollAfter({ state: 'waiting', position, eta: waitingForShoppers }, timing)).toBe(ms);
    }
    expect(pollAfter({ state: 'prequeue', position: null, eta: null }, { onSale: 4_000, opens: 0 })).toBe(4_000);
    expect(pollAfter({ state: 'prequeue', position: null, eta: null }, { onSale: -5_000, opens: 0 })).toBe(1_000);
    expect(pollAfter({ state: 'admitted', position: null, eta: null }, { onSale: 0, opens: 0 })).toBe(0);
  });

  it('warns honestly about selling out', () => {
    expect(sellOutRisk(0, 10)).toBe('sold-out');
    expect(sellOutRisk(100, 120)).toBe('likely');
    expect(sellOutRisk(100, 70)).toBe('possible');
    expect(sellOutRisk(100, 10)).toBeNull();
    expect(sellOutRisk(100, null)).toBeNull();
  });
});
