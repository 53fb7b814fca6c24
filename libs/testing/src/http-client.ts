/** The answer of one HTTP call, with the body parsed as JSON when it is JSON. */
export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** Minimal JSON-over-HTTP client for tests against a running service. */
export function httpClient(baseUrl: string) {
  const call = async <T = any>( // eslint-disable-line @typescript-eslint/no-explicit-any
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer<T>> => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed as T, text, headers: response.headers };
  };
  return {
    get: <T = any>(path: string) => call<T>('GET', path), // eslint-disable-line @typescript-eslint/no-explicit-any
    post: <T = any>(path: string, body?: unknown, headers?: Record<string, string>) => call<T>('POST', path, body, headers), // eslint-disable-line @typescript-eslint/no-explicit-any
    put: <T = any>(path: string, body?: unknown) => call<T>('PUT', path, body), // eslint-disable-line @typescript-eslint/no-explicit-any
    call,
  };
}
