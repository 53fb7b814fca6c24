/**
 * Money is held as whole cents so sums and differences are exact; JSON carries it as a number of units
 * with at most two decimals (12.3 means 12.30).
 */
export type Cents = number;

/** Whole cents of an amount that has at most two decimals (rounding absorbs binary noise: 0.29 * 100 = 28.999…). */
export function toCents(units: number): Cents {
  return Math.round(units * 100);
}

/** The amount in units, the double nearest to the decimal value, so it prints without drift. */
export function fromCents(cents: Cents): number {
  return cents / 100;
}

/** Whether `units` is exactly some whole number of cents, i.e. has at most two decimals. */
export function isWholeCents(units: number): boolean {
  return Number.isFinite(units) && fromCents(toCents(units)) === units;
}
