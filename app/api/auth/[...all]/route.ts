import { getAuth } from '@/lib/auth/auth.server';
import { isPublicAuthEndpoint } from '@/lib/auth/public-endpoints';
import { AppError, problemResponse } from '@/lib/errors';

/** better-auth's routes that the app uses: sign-up, sign-in, sign-out, session (lib/auth/public-endpoints.ts). */
async function handle(request: Request): Promise<Response> {
  if (!isPublicAuthEndpoint(request.method, request.url)) return problemResponse(new AppError('NOT_FOUND', 'No such auth endpoint.'));
  return (await getAuth()).handler(request);
}

export const GET = handle;
export const POST = handle;
