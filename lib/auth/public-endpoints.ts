/**
 * The better-auth endpoints this app serves over HTTP. better-auth mounts many more under /api/auth (account
 * deletion, password reset, session lists, ...); the app uses none of them, and some write an error line to the
 * log whenever anyone calls them while disabled. Anything not listed is answered 404 before better-auth sees it.
 */
const PUBLIC_AUTH_ENDPOINTS = new Set([
  'GET /get-session',
  'POST /sign-up/email',
  'POST /sign-in/email',
  'POST /sign-out',
]);

export function isPublicAuthEndpoint(method: string, url: string): boolean {
  const path = new URL(url).pathname.replace(/^\/api\/auth/, '').replace(/\/+$/, '');
  return PUBLIC_AUTH_ENDPOINTS.has(`${method.toUpperCase()} ${path}`);
}
