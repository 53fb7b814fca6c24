/**
 * Money crosses service boundaries as a JSON number with at most two decimals (12.3 means 12.30); services
 * count it in whole cents, a safe integer, so sums and differences never drift (0.1 + 0.2 stays 0.30).
 */

/** An amount of money in whole cents. */
export type Cents = number;

/** Whether `amount` is a finite number of whole cents, i.e. has at most two decimals. */
export function isWholeCents(amount: number): boolean {
  // Round-tripping through cents is exact for such amounts: 0.29 * 100 is 28.999…, but rounds back to 0.29.
  return Number.isFinite(amount) && Math.round(amount * 100) / 100 === amount;
}

/** The amount in cents; throws a RangeError for more than two decimals or more cents than count exactly. */
export function toCents(amount: number): Cents {
  if (!isWholeCents(amount)) throw new RangeError(`${amount} is not an amount of whole cents`);
  const cents = Math.round(amount * 100);
  if (!Number.isSafeInteger(cents)) throw new RangeError(`${amount} is too large to count in cents`);
  return cents;
}

/** The amount of `cents` as a number with at most two decimals, the double nearest to the decimal value. */
export function fromCents(cents: Cents): number {
  return cents / 100;
}

/** Price of `quantity` units at `unitCents` each; throws a RangeError beyond exact integer arithmetic. */
export function multiplyCents(unitCents: Cents, quantity: number): Cents {
  const cents = unitCents * quantity;
  if (!Number.isSafeInteger(cents)) throw new RangeError(`${quantity} × ${unitCents} cents is too large`);
  return cents;
}
