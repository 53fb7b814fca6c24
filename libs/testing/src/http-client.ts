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

/**
 * Minimal JSON-over-HTTP client for tests against a running service. With `timeoutMs`, a call that gets no
 * answer in that time fails instead of waiting for the test's own timeout. A failed call names its URL.
 */
export function httpClient(baseUrl: string, { timeoutMs }: { timeoutMs?: number } = {}) {
  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
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
  };
}

/** The client `httpClient` returns. */
export type HttpClient = ReturnType<typeof httpClient>;
