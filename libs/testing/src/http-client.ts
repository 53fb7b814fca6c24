import { issueDevToken } from '@platform/workspace';

/** Response bodies in tests are whatever JSON the service sent; assertions check their shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** The answer of one HTTP call, with the body parsed as JSON when it is JSON. */
export interface HttpAnswer {
  status: number;
  body: Json;
  text: string;
  headers: Headers;
}

function parseJson(text: string): Json {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** Who a client's calls are made as: a customer, an operator (admin), or nobody (no Authorization header). */
export type Identity = { customer: string; email?: string } | { admin: string } | 'anonymous';

/** The operator tests act as unless they say otherwise. */
export const TEST_OPERATOR = { admin: 'test-operator' } as const;

const tokens = new Map<string, Promise<string>>();

/**
 * A development bearer token for the identity, from the same key and code as `npm run token` (made on first
 * use), cached for the process: tokens last an hour, far longer than a test file.
 */
export function tokenFor(identity: Exclude<Identity, 'anonymous'>): Promise<string> {
  const admin = 'admin' in identity;
  const subject = admin ? identity.admin : identity.customer;
  const email = admin ? undefined : identity.email;
  const key = `${admin}|${subject}|${email ?? ''}`;
  const cached = tokens.get(key);
  if (cached !== undefined) return cached;
  const token = issueDevToken(subject, { admin, email });
  tokens.set(key, token);
  return token;
}

/**
 * Minimal JSON-over-HTTP client for tests against a running service, calling as an operator unless `as` says
 * otherwise (`client.as(...)` gives the same client for another identity). With `timeoutMs`, a call that gets
 * no answer in that time fails instead of waiting for the test's own timeout. A failed call names its URL.
 */
export function httpClient(
  baseUrl: string,
  { timeoutMs, as = TEST_OPERATOR }: { timeoutMs?: number; as?: Identity } = {},
): HttpClient {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> => {
    const authorization: Record<string, string> =
      as === 'anonymous' ? {} : { authorization: `Bearer ${await tokenFor(as)}` };
    const response = await fetch(baseUrl + path, {
      method,
      headers: { 'content-type': 'application/json', ...authorization, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs),
    }).catch((error: Error & { cause?: { code?: string } }) => {
      throw new Error(`${method} ${baseUrl}${path}: ${error.cause?.code ?? error.message}`, { cause: error });
    });
    const text = await response.text();
    return { status: response.status, body: parseJson(text), text, headers: response.headers };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      call('POST', path, body, headers),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    call,
    /** The same service, called as someone else. */
    as: (identity: Identity) => httpClient(baseUrl, { timeoutMs, as: identity }),
  };
}

/** The client `httpClient` returns. */
export interface HttpClient {
  get(path: string): Promise<HttpAnswer>;
  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpAnswer>;
  put(path: string, body?: unknown): Promise<HttpAnswer>;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<HttpAnswer>;
  /** The same service, called as someone else. */
  as(identity: Identity): HttpClient;
}
