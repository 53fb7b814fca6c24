import { Product } from './product';

/** RESERVED holds stock; RELEASED gave it back (or came before any reservation); SETTLED sold it. */
export type ReservationStatus = 'RESERVED' | 'RELEASED' | 'SETTLED';

/** One product line of a reservation, at the unit price it was reserved at. */
export interface ReservedLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

/** The stock held for one order, and what became of it. */
export interface Reservation {
  readonly orderId: string;
  readonly status: ReservationStatus;
  readonly lines: readonly ReservedLine[];
}

/** A reservation's new state and its products' new stock, to be stored together. */
export interface ReservationChange {
  readonly reservation: Reservation;
  readonly products: readonly Product[];
}

/** What the order will cost: the sum of unit price times quantity, in cents. */
export function totalCents(lines: readonly ReservedLine[]): number {
  return lines.reduce((total, line) => total + line.unitPriceCents * line.quantity, 0);
}

/** The products whose stock the reservation still holds (none once released or settled). */
export function heldSkus(reservation: Reservation | undefined): string[] {
  return reservation?.status === 'RESERVED' ? reservation.lines.map((line) => line.sku) : [];
}

/** Applies `move` to the product of every line; a reserved product can never be missing. */
export function moveStock(
  products: readonly Product[],
  lines: readonly ReservedLine[],
  move: (product: Product, quantity: number) => Product,
): Product[] {
  const bySku = new Map(products.map((product) => [product.sku, product]));
  for (const line of lines) {
    const product = bySku.get(line.sku);
    if (!product) throw new Error(`product ${line.sku} of a reservation is missing`);
    bySku.set(line.sku, move(product, line.quantity));
  }
  return [...bySku.values()];
}
