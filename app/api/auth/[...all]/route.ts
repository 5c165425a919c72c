import { getAuth } from '@/lib/auth/auth.server';

/** better-auth's own routes: sign-up, sign-in, sign-out, session (see its docs for the list). */
export async function GET(request: Request) {
  return (await getAuth()).handler(request);
}

export async function POST(request: Request) {
  return (await getAuth()).handler(request);
}
