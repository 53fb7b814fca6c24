import { fromCents, multiplyCents, toCents } from '@platform/contracts';
import { ReservationMismatchError } from './reservation-mismatch.error';

/** A line as the order holds it; the unit price is known once inventory has reserved the stock. */
export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPriceCents: number | null;
}

/** A line of inventory's reservation, priced in money (two decimals). */
export interface ReservedLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/**
 * Prices the order's lines from inventory's reservation. Lines are matched by sku and quantity, not by
 * position, since inventory may answer in its own order; the reservation's total must be the sum of its lines.
 */
export function priceLines(
  orderId: string,
  lines: readonly OrderLine[],
  reserved: readonly ReservedLine[],
  reservedTotal: number,
): { lines: OrderLine[]; totalCents: number } {
  const unmatched = [...reserved];
  const priced = lines.map((line) => {
    const index = unmatched.findIndex(
      (candidate) => candidate.sku === line.sku && candidate.quantity === line.quantity,
    );
    if (index < 0)
      throw new ReservationMismatchError(orderId, `no reserved line for ${line.quantity} × ${line.sku}`);
    const [match] = unmatched.splice(index, 1);
    return { ...line, unitPriceCents: toCents(match.unitPrice) };
  });
  if (unmatched.length > 0) {
    const extra = unmatched.map((line) => `${line.quantity} × ${line.sku}`).join(', ');
    throw new ReservationMismatchError(orderId, `lines the order does not have: ${extra}`);
  }
  const totalCents = priced.reduce((sum, line) => sum + multiplyCents(line.unitPriceCents, line.quantity), 0);
  if (totalCents !== toCents(reservedTotal)) {
    throw new ReservationMismatchError(
      orderId,
      `total ${reservedTotal} is not the sum of its lines, ${fromCents(totalCents)}`,
    );
  }
  return { lines: priced, totalCents };
}
