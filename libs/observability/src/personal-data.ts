/**
 * Keeps customer ids out of recorded URLs: HTTP and Nest spans record the request's URL (`url.full`,
 * `http.target`...), and customer ids travel in query strings (`?customerId=`) and in paths
 * (`/accounts/{customerId}`). Every query value is masked, and the path segment after `/accounts/`.
 */
const URL_ATTRIBUTES = ['url.full', 'url.path', 'url.query', 'http.url', 'http.target'];

/** A URL (absolute, path with query, or bare query) with every query value and account id masked. */
export function withoutPersonalData(url: string): string {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = queryAt === -1 ? undefined : url.slice(queryAt + 1);
  const maskedPath = path.replace(/\/accounts\/[^/?#]+/g, '/accounts/{customerId}');
  if (query === undefined) return maskedPath;
  const maskedQuery = query
    .split('&')
    .map((pair) => (pair === '' ? pair : `${pair.split('=')[0]}=*`))
    .join('&');
  return `${maskedPath}?${maskedQuery}`;
}

/** Masks the URL attributes of a span's attributes in place (`url.query` has no `?`, so it is masked whole). */
export function maskUrlAttributes(attributes: Record<string, unknown>): void {
  for (const key of URL_ATTRIBUTES) {
    const value = attributes[key];
    if (typeof value !== 'string') continue;
    attributes[key] =
      key === 'url.query' ? withoutPersonalData(`?${value}`).slice(1) : withoutPersonalData(value);
  }
}
