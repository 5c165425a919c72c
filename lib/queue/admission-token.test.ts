import { jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  admissionKey,
  signAdmissionToken,
  verifyAdmissionToken,
  type AdmissionClaims,
} from '@/lib/queue/admission-token';

const SECRET = 'admission-token-test-secret-that-is-long-enough';
const raw = new TextEncoder().encode(SECRET);
const now = Date.UTC(2026, 11, 6, 12, 0, 0);
const claims: AdmissionClaims = {
  ev: '6f1c3c9e-4a44-4f0c-9a38-0d3c1d2b9e11',
  vid: 'qv000123',
  sub: 'user-1',
  sh: '0123456789abcdef0123456789abcdef',
  exp: now / 1000 + 600,
};
const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A token with any header and payload, signed HS256 with the secret (or another). */
async function forge(header: unknown, payload: unknown, secret = raw): Promise<string> {
  const input = `${b64(header)}.${b64(payload)}`;
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return `${input}.${Buffer.from(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input))).toString('base64url')}`;
}

describe('admission tokens (HS256 JWT, signed and verified in plain JavaScript)', () => {
  it('are standard: jose verifies ours, and ours verifies jose’s', async () => {
    const key = await admissionKey(SECRET);
    const ours = await signAdmissionToken(claims, key, now);
    const { payload, protectedHeader } = await jwtVerify(ours, raw, {
      algorithms: ['HS256'],
      currentDate: new Date(now),
    });
    expect(protectedHeader).toEqual({ alg: 'HS256' });
    expect(payload).toMatchObject({ ...claims, iat: now / 1000 });
    const { sub, exp, ...rest } = claims;
    const theirs = await new SignJWT(rest)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(sub)
      .setIssuedAt(now / 1000)
      .setExpirationTime(exp)
      .sign(raw);
    expect(await verifyAdmissionToken(theirs, key, now)).toEqual(claims);
  });

  it('refuses anything that is not a genuine, current HS256 token of ours', async () => {
    const key = await admissionKey(SECRET);
    const good = await signAdmissionToken(claims, key, now);
    const [h, p, s] = good.split('.') as [string, string, string];
    const refused = async (token: string) => expect(await verifyAdmissionToken(token, key, now)).toBeNull();
    await refused(`${h}.${b64({ ...claims, sub: 'user-2' })}.${s}`); // payload changed
    await refused(`${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BA' : 'AA'}`); // signature changed
    await refused(`${h}.${p}.`); // no signature
    await refused(`${b64({ alg: 'none' })}.${p}.`);
    await refused(await forge({ alg: 'none' }, claims));
    await refused(await forge({ alg: 'HS512' }, claims));
    await refused(await forge({ alg: 'HS256', crit: ['exp'] }, claims));
    await refused(
      await forge({ alg: 'HS256' }, claims, new TextEncoder().encode('another-secret-that-is-long-enough-0123456789')),
    );
    await refused(await forge({ alg: 'HS256' }, { ...claims, exp: now / 1000 })); // expires now
    await refused(await forge({ alg: 'HS256' }, { ...claims, nbf: now / 1000 + 60 })); // not yet valid
    await refused(await forge({ alg: 'HS256' }, { ...claims, exp: String(claims.exp) }));
    await refused(await forge({ alg: 'HS256' }, { ...claims, vid: undefined }));
    await refused(await forge({ alg: 'HS256' }, [claims]));
    await refused(await forge({ alg: 'HS256' }, 'not json'));
    await refused(`${good}.extra`);
    await refused(`${h}.${p}.${s}=`); // padding is not base64url of a JWS
    await refused(`${h}.${p}+.${s}`);
    await refused(`${h}.${p}.${s}`.replace(/./, 'é'));
    await refused('x'.repeat(5000));
    await refused('');
    // And the genuine one passes, until it expires.
    expect(await verifyAdmissionToken(good, key, now)).toEqual(claims);
    expect(await verifyAdmissionToken(good, key, claims.exp * 1000)).toBeNull();
    // A token of another secret is refused by this one's key.
    expect(
      await verifyAdmissionToken(good, await admissionKey('yet-another-secret-that-is-long-enough-01234567'), now),
    ).toBeNull();
  });

  it('round-trips every byte length of base64url (claims of any length)', async () => {
    const key = await admissionKey(SECRET);
    for (let n = 0; n < 12; n++) {
      const c = { ...claims, vid: `qv${'x'.repeat(n)}`, sub: `u${'é'.repeat(n)}` };
      const token = await signAdmissionToken(c, key, now);
      expect(await verifyAdmissionToken(token, key, now)).toEqual(c);
      expect((await jwtVerify(token, raw, { currentDate: new Date(now) })).payload.sub).toBe(c.sub);
    }
  });

  it('carries what presale codes unlocked, and refuses an unlock claim it cannot read', async () => {
    const key = await admissionKey(SECRET);
    const unlocked = { ...claims, ul: { p: 'presale-1', t: ['tier-a', 'tier-b'], n: 4 } };
    expect(await verifyAdmissionToken(await signAdmissionToken(unlocked, key, now), key, now)).toEqual(unlocked);
    for (const ul of [{ p: 1 }, { t: 'tier-a' }, { t: [1] }, { n: 1.5 }, ['p'], 'p'])
      expect(await verifyAdmissionToken(await forge({ alg: 'HS256' }, { ...claims, ul }), key, now)).toBeNull();
  });
});
