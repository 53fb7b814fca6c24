/**
 * Money is held as integer cents so sums never drift (0.1 + 0.2 stays 0.30); messages and answers carry
 * it as a number with at most two decimals.
 */
export function toCents(amount: number): number {
  const cents = Math.round(amount * 100);
  if (!Number.isSafeInteger(cents)) throw new RangeError(`${amount} is too large to count in cents`);
  return cents;
}

/** The amount of `cents` as a number with at most two decimals. */
export function fromCents(cents: number): number {
  return cents / 100;
}

/** Price of `quantity` units at `unitCents` each, refusing sums beyond exact integer arithmetic. */
export function lineCents(unitCents: number, quantity: number): number {
  const cents = unitCents * quantity;
  if (!Number.isSafeInteger(cents)) throw new RangeError(`${quantity} × ${unitCents} cents is too large`);
  return cents;
}
