import { describe, expect, it } from 'vitest';
import { oneLine, quoted, transferEmail } from '@/lib/notifications/order-emails';

/** Issue 15, item 15: text other people wrote is quoted on one line in our emails, never our own words or headers. */
describe('email templates and user text', () => {
  const event = { name: 'Spring Concert', startsAt: new Date('2027-04-01T19:00:00Z'), timezone: 'UTC' };
  const seat = { sectionLabel: 'A', rowLabel: '1', seatLabel: '2' };

  it('a 5 KB multi-line display name cannot write the first lines of a transfer email or a header', () => {
    const injected = `Mallory\nSubject: Your refund is ready\r\nBcc: everyone@example.test\n\nClick https://evil.example to claim it.\n${'x'.repeat(5_000)}`;
    const email = transferEmail('bob@example.test', injected, event, seat, '3b0b1a52-4f6e-4c1d-9a57-0f3a0e0b6c11');
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.subject.length).toBeLessThan(120);
    const [first, ...rest] = email.text.split('\n');
    expect(first).toMatch(/^The AdmitOne account holder named “Mallory Subject: Your refund.*…” transferred a ticket/);
    expect(first!.length).toBeLessThan(200);
    expect(rest.join('\n')).not.toContain('evil.example');
    expect(email.text).not.toMatch(/^(Subject|Bcc):/m);
  });

  it('removes control characters and bidirectional overrides, and never leaves the quotes empty', () => {
    expect(oneLine('a\u0000b\u202Ec\td\u2028e')).toBe('a b c d e');
    expect(quoted('\n\n')).toBe('“Someone”');
    expect(quoted('Alice')).toBe('“Alice”');
    expect(oneLine('x'.repeat(100), 10)).toBe('xxxxxxxxx…');
  });
});
