import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AppError } from '@/lib/errors';

// An action reads its request's headers through next/headers; these tests need none.
vi.mock('next/headers', () => ({ headers: async () => new Headers() }));

const { action } = await import('@/lib/http/action');

const form = z.object({ name: z.string().trim().min(1, 'enter your name'), email: z.email(), password: z.string() });

describe('action()', () => {
  it('answers a refusal with the echo fields as submitted, and nothing else of the input', async () => {
    const signUp = action('test.echo', { input: form, echo: ['name', 'email'] }, async () => {
      throw new AppError('CONFLICT', 'An account with this email already exists.');
    });
    const result = await signUp({ name: '  Ada ', email: 'ada@example.test', password: 'a secret phrase' });
    expect(result).toEqual({
      ok: false,
      problem: expect.objectContaining({ code: 'CONFLICT', status: 409 }),
      values: { name: '  Ada ', email: 'ada@example.test' },
    });
    expect(JSON.stringify(result)).not.toContain('a secret phrase');
  });

  it('echoes on a validation refusal too, beside the field errors, and skips fields that are not text', async () => {
    const signUp = action('test.echo-invalid', { input: form, echo: ['name', 'email'] }, async () => 'created');
    const result = await signUp({ name: '', email: ['not', 'text'], password: 'x' });
    expect(result).toMatchObject({
      ok: false,
      problem: { code: 'VALIDATION_FAILED' },
      fieldErrors: { name: 'enter your name' },
      values: { name: '' },
    });
    expect(result.ok || result.values).not.toHaveProperty('email');
  });

  it('answers a value alone when the action succeeds, and no values when it echoes nothing', async () => {
    const echoing = action('test.echo-ok', { input: form, echo: ['email'] }, async ({ input }) => input.name);
    expect(await echoing({ name: 'Ada', email: 'ada@example.test', password: 'x' })).toEqual({
      ok: true,
      value: 'Ada',
    });
    const quiet = action('test.no-echo', { input: form }, async () => {
      throw new AppError('CONFLICT');
    });
    expect(await quiet({ name: 'Ada', email: 'ada@example.test', password: 'x' })).not.toHaveProperty('values');
  });

  it('refuses, when it is defined, to echo a field that looks like a secret', () => {
    for (const field of ['password', 'newPassword', 'token', 'pow'])
      expect(() => action('test.echo-secret', { input: form, echo: ['email', field] }, async () => null)).toThrow(
        `echo would send "${field}" back`,
      );
  });

  it('lets a redirect() from the action go on to Next, echo or not', async () => {
    const { redirect } = await import('next/navigation');
    const signIn = action('test.redirect', { input: form, echo: ['email'] }, async () => redirect('/orders'));
    await expect(signIn({ name: 'Ada', email: 'ada@example.test', password: 'x' })).rejects.toMatchObject({
      digest: expect.stringContaining('/orders'),
    });
  });
});
