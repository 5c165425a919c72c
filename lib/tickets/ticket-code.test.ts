import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  rotationWindow,
  signDeviceCertificate,
  signRotatingCode,
  signStaticCode,
  toBase64Url,
  verifyTicketCode,
  ROTATION_SECONDS,
} from '@/lib/tickets/ticket-code';
import { describeRefundPolicy, refundAmount, refundPercent } from '@/lib/tickets/refund-policy';

const eventId = '3f2b8c1e-8a64-4a5e-9b35-0c6f3f1d2a10';
const ticketId = '9d7a3c55-1b2e-4f64-8d0b-5b3e8f7e6a21';

async function keyPair() {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  return { ...pair, publicText: toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))) };
}

async function codes(now = new Date()) {
  const event = await keyPair();
  const device = await keyPair();
  const staticCode = await signStaticCode(event.privateKey, {
    t: ticketId,
    e: eventId,
    n: 'nonce-1',
    s: 'A / 3 / 12',
    i: 1_700_000_000,
  });
  const certificate = await signDeviceCertificate(event.privateKey, {
    t: ticketId,
    e: eventId,
    n: 'nonce-1',
    s: 'A / 3 / 12',
    k: device.publicText,
    x: Math.floor(now.getTime() / 1000) + 86_400,
  });
  const rotating = await signRotatingCode(device.privateKey, certificate, now);
  return { event, device, staticCode, certificate, rotating };
}

describe('ticket codes (Ed25519, verified with the public key only)', () => {
  it('verifies a static code and names the seat', async () => {
    const { event, staticCode } = await codes();
    expect(staticCode).toMatch(/^AO1\.[\w-]+\.[\w-]{86}$/);
    expect(await verifyTicketCode(staticCode, { publicKey: event.publicText, eventId })).toEqual({
      ok: true,
      kind: 'static',
      ticketId,
      eventId,
      nonce: 'nonce-1',
      seat: 'A / 3 / 12',
    });
  });

  it('rejects a changed payload, another event’s key, another event, a revoked ticket and garbage', async () => {
    const { event, staticCode } = await codes();
    const other = await keyPair();
    const [prefix, payload, signature] = staticCode.split('.');
    const changed = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    changed.s = 'VIP / 1 / 1';
    const forged = `${prefix}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${signature}`;
    expect(await verifyTicketCode(forged, { publicKey: event.publicText })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(await verifyTicketCode(staticCode, { publicKey: other.publicText })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(
      await verifyTicketCode(staticCode, { publicKey: event.publicText, eventId: crypto.randomUUID() }),
    ).toMatchObject({ ok: false, reason: 'wrong_event' });
    expect(
      await verifyTicketCode(staticCode, { publicKey: event.publicText, isRevoked: (id) => id === ticketId }),
    ).toMatchObject({ ok: false, reason: 'revoked', ticketId });
    for (const junk of ['', 'hello', 'AO1.x.y', 'AO1..', `AO1.${payload}`, 'AO1R.a.b.c.d', `${staticCode}.extra`]) {
      expect((await verifyTicketCode(junk, { publicKey: event.publicText })).ok).toBe(false);
    }
    expect(await verifyTicketCode(staticCode, { publicKey: 'not a key' })).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });

  it('accepts a rotating code in its 30-second window (±1) and refuses it a minute later', async () => {
    const now = new Date('2026-11-22T20:00:05Z');
    const { event, rotating } = await codes(now);
    expect(await verifyTicketCode(rotating, { publicKey: event.publicText, eventId, now })).toMatchObject({
      ok: true,
      kind: 'rotating',
      ticketId,
      window: rotationWindow(now),
    });
    const skewed = new Date(now.getTime() + ROTATION_SECONDS * 1000);
    expect((await verifyTicketCode(rotating, { publicKey: event.publicText, now: skewed })).ok).toBe(true);
    const screenshotLater = new Date(now.getTime() + 2 * ROTATION_SECONDS * 1000 + 1000);
    expect(await verifyTicketCode(rotating, { publicKey: event.publicText, now: screenshotLater })).toMatchObject({
      ok: false,
      reason: 'stale',
    });
  });

  it('refuses a rotating code signed by a key the event did not certify, or after the certificate ends', async () => {
    const now = new Date();
    const { event, certificate, rotating } = await codes(now);
    const thief = await keyPair();
    const stolen = await signRotatingCode(thief.privateKey, certificate, now);
    expect(await verifyTicketCode(stolen, { publicKey: event.publicText, now })).toMatchObject({
      ok: false,
      reason: 'bad_signature',
    });
    expect(
      await verifyTicketCode(rotating, { publicKey: event.publicText, now: new Date(now.getTime() + 2 * 86_400_000) }),
    ).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('can be checked by scripts/verify-ticket.ts with the public key alone', async () => {
    const now = new Date();
    const { event, staticCode, rotating } = await codes(now);
    const run = (...args: string[]) =>
      spawnSync('node_modules/.bin/tsx', ['scripts/verify-ticket.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

    const good = run('--public-key', event.publicText, '--event', eventId, staticCode);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain(`VALID static code: ticket ${ticketId}, seat A / 3 / 12`);
    const rotated = run('--public-key', event.publicText, '--now', now.toISOString(), rotating);
    expect(rotated.stdout).toContain('VALID rotating code');
    expect(rotated.status).toBe(0);
    const stale = run(
      '--public-key',
      event.publicText,
      '--now',
      new Date(now.getTime() + 5 * 60_000).toISOString(),
      rotating,
    );
    expect(stale).toMatchObject({ status: 1, stdout: expect.stringContaining('INVALID (stale)') });
    const tampered = run(
      '--public-key',
      event.publicText,
      staticCode.slice(0, -2) + (staticCode.endsWith('AA') ? 'BB' : 'AA'),
    );
    expect(tampered.status).toBe(1);

    const dir = mkdtempSync(join(tmpdir(), 'scanner-'));
    const bundle = join(dir, 'scanner.json');
    writeFileSync(
      bundle,
      JSON.stringify({
        eventId,
        publicKey: event.publicText,
        revokedTicketIds: [ticketId],
        generatedAt: now.toISOString(),
      }),
    );
    expect(run('--bundle', bundle, staticCode)).toMatchObject({
      status: 1,
      stdout: expect.stringContaining('INVALID (revoked)'),
    });
    expect(run(staticCode).status).toBe(2);
  });
});

describe('refund policy', () => {
  const policy = [
    { hoursBefore: 24, percent: 100 },
    { hoursBefore: 2, percent: 50 },
  ];
  const start = new Date('2026-12-01T20:00:00Z');
  const hoursBefore = (h: number) => new Date(start.getTime() - h * 3_600_000);

  it('gives the best step the cancellation still meets, and nothing after the start', () => {
    expect(refundPercent(policy, start, hoursBefore(48))).toBe(100);
    expect(refundPercent(policy, start, hoursBefore(24))).toBe(100);
    expect(refundPercent(policy, start, hoursBefore(23.9))).toBe(50);
    expect(refundPercent(policy, start, hoursBefore(2))).toBe(50);
    expect(refundPercent(policy, start, hoursBefore(1))).toBe(0);
    expect(refundPercent(policy, start, hoursBefore(-1))).toBe(0);
    expect(refundPercent([], start, hoursBefore(100))).toBe(0);
  });

  it('rounds refunds down and describes the policy in words', () => {
    expect(refundAmount(10_501, 50)).toBe(5_250);
    expect(refundAmount(10_500, 100)).toBe(10_500);
    expect(describeRefundPolicy(policy)).toBe(
      'Cancel for a full refund up to 24 hours before the event, 50% back up to 2 hours before the event; no refund after that.',
    );
    expect(describeRefundPolicy([])).toBe('Tickets for this event are not refundable.');
  });
});
