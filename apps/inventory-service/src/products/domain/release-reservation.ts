import { Product } from './product';
import { moveStock, Reservation, ReservationChange } from './reservation';

/**
 * ReleaseStock: a held reservation gives its units back to `available` and becomes RELEASED. A release that
 * arrives before any reservation leaves a RELEASED tombstone, so a late ReserveStock reserves nothing.
 * A reservation already released or settled does not change.
 */
export function releaseReservation(
  orderId: string,
  reservation: Reservation | undefined,
  products: readonly Product[],
): ReservationChange | undefined {
  if (!reservation) return { reservation: { orderId, status: 'RELEASED', lines: [] }, products: [] };
  if (reservation.status !== 'RESERVED') return undefined;
  return {
    reservation: { ...reservation, status: 'RELEASED' },
    products: moveStock(products, reservation.lines, (product, quantity) => ({
      ...product,
      available: product.available + quantity,
      reserved: product.reserved - quantity,
    })),
  };
}
