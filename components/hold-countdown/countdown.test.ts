import { describe, expect, it } from 'vitest';
import { crossedMilestone, deadline, formatRemaining, remainingMs, spokenDuration } from './countdown';

describe('hold countdown arithmetic', () => {
  it('measures the time left on the server clock, whatever the browser clock says', () => {
    const serverNow = Date.parse('2026-11-22T10:00:00Z');
    const expiresAt = new Date(serverNow + 8 * 60_000).toISOString();
    // This browser's clock is an hour and three seconds fast.
    const browserNow = serverNow + 3_603_000;
    const d = deadline(expiresAt, new Date(serverNow).toISOString(), browserNow);
    expect(remainingMs(d, browserNow)).toBe(8 * 60_000);
    expect(remainingMs(d, browserNow + 61_000)).toBe(7 * 60_000 - 1_000);
    expect(remainingMs(d, browserNow + 10 * 60_000)).toBe(0);
  });

  it('shows minutes and seconds, reaching 0:00 only at the end', () => {
    expect(formatRemaining(8 * 60_000)).toBe('8:00');
    expect(formatRemaining(119_001)).toBe('2:00');
    expect(formatRemaining(59_000)).toBe('0:59');
    expect(formatRemaining(1)).toBe('0:01');
    expect(formatRemaining(0)).toBe('0:00');
  });

  it('reports each milestone once as it is crossed', () => {
    expect(crossedMilestone(301_000, 300_000)).toBe(300_000);
    expect(crossedMilestone(300_000, 299_000)).toBeNull();
    expect(crossedMilestone(121_000, 119_000)).toBe(120_000);
    // A tab that slept through several milestones announces only the latest.
    expect(crossedMilestone(400_000, 50_000)).toBe(60_000);
    expect(crossedMilestone(9_000, 8_000)).toBeNull();
  });

  it('says durations in words', () => {
    expect(spokenDuration(8 * 60_000)).toBe('8 minutes');
    expect(spokenDuration(61_000)).toBe('1 minute 1 second');
    expect(spokenDuration(30_000)).toBe('30 seconds');
  });
});
