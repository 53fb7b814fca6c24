import { Product } from './product';
import { moveStock, Reservation, ReservationChange } from './reservation';

/**
 * OrderConfirmed: the units of a held reservation are sold, so they leave `reserved` and it becomes SETTLED.
 * Anything else (no reservation, released, already settled) does not change.
 */
export function settleReservation(
  reservation: Reservation | undefined,
  products: readonly Product[],
): ReservationChange | undefined {
  if (reservation?.status !== 'RESERVED') return undefined;
  return {
    reservation: { ...reservation, status: 'SETTLED' },
    products: moveStock(products, reservation.lines, (product, quantity) => ({
      ...product,
      reserved: product.reserved - quantity,
    })),
  };
}
