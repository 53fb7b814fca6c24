/**
 * Money crosses the service boundary as a JSON number with at most two decimals and is kept as whole
 * cents inside, so sums never drift (0.1 + 0.2 stays 0.30).
 */

/** Whether `amount` is a number of whole cents, i.e. has at most two decimals. */
export function isWholeCents(amount: number): boolean {
  // Round-tripping through cents is exact for such amounts: 0.29 * 100 is 28.999..., but rounds back to 0.29.
  return Number.isFinite(amount) && Math.round(amount * 100) / 100 === amount;
}

/** The amount in cents; throws for amounts with more than two decimals. */
export function toCents(amount: number): number {
  if (!isWholeCents(amount)) throw new RangeError(`${amount} is not an amount of whole cents`);
  return Math.round(amount * 100);
}

/** The amount as a JSON number with at most two decimals. */
export function fromCents(cents: number): number {
  return cents / 100;
}
