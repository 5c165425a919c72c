/** What a test sends as one client of a running app server (tests/support/app-server.ts) behind a trusted proxy. */
export type ClientInit = RequestInit & {
  /** The Cookie header. */
  cookie?: string;
  /** The client's address, as the proxy says in X-Forwarded-For (the servers trust 127.0.0.1). */
  from: string;
};

/** A request as that client: its address and cookies set, redirects returned rather than followed. */
export const clientFetch = (url: string, { cookie, from, headers, ...init }: ClientInit): Promise<Response> =>
  fetch(url, {
    redirect: 'manual',
    ...init,
    headers: { 'x-forwarded-for': from, ...(cookie ? { cookie } : {}), ...(headers as Record<string, string>) },
  });
