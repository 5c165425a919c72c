import { describe, expect, it } from 'vitest';
import { POST as authPost } from '@/app/api/auth/[...all]/route';
import { useTestCoordinator } from '../support/coordinator';
import { useTestDatabase } from '../support/database';
import { call } from '../support/http';

/** Issue 16, item 9: the JSON sign-up refuses guessable passwords and answers validation in sentences. */
describe('sign-up passwords over the JSON API', () => {
  useTestDatabase({ reset: false });
  useTestCoordinator();
  const signUp = (body: Record<string, unknown>) =>
    call(authPost, {
      method: 'POST',
      url: '/api/auth/sign-up/email',
      body: { email: `p-${crypto.randomUUID().slice(0, 10)}@example.test`, name: 'Pat Person', ...body },
    });

  it.each(['password123', 'aaaaaaaaaa', 'qwertyuiop12'])(
    'refuses %s with 422 saying why and what to do',
    async (password) => {
      const res = await signUp({ password });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'password' }] });
      const { message } = (res.body as { errors: { message: string }[] }).errors[0]!;
      expect(message).toMatch(/^This password is too easy to guess: .+\. Use three or four unrelated words/);
    },
  );

  it('answers a too-long name or email in words a person can act on, never zod’s own', async () => {
    const res = await signUp({
      password: 'correct horse battery staple',
      name: 'x'.repeat(101),
      email: `${'a'.repeat(250)}@example.test`,
    });
    expect(res.status).toBe(422);
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/Too (big|small)|expected string/);
    expect(text).toContain('use at most 100 characters');
  });

  it('accepts a passphrase and the demo password', async () => {
    for (const password of ['correct horse battery staple', 'admitone-buyer'])
      expect((await signUp({ password })).status, password).toBe(200);
  });
});
