import { z } from 'zod';

export const MIN_PASSWORD = 10;

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().email('enter a valid email address'),
  password: z.string().min(1, 'enter your password').max(128),
});

export const signUpSchema = z.object({
  name: z.string().trim().min(1, 'enter your name').max(100),
  email: z.string().trim().toLowerCase().email('enter a valid email address').max(254),
  password: z.string().min(MIN_PASSWORD, `use at least ${MIN_PASSWORD} characters`).max(128, 'use at most 128 characters'),
});

/** Only same-site relative paths may be used as a post-sign-in destination. */
export function safeNextPath(value: unknown, fallback = '/'): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') ? value : fallback;
}
