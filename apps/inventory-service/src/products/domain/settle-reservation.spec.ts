import { Product } from './product';
import { Reservation, ReservationStatus } from './reservation';
import { settleReservation } from './settle-reservation';

const orderId = '3b241101-e2bb-4255-8caf-4136c566a962';
const apple: Product = { sku: 'apple', name: 'Apple', priceCents: 250, available: 4, reserved: 3 };
const reservation = (status: ReservationStatus): Reservation => ({
  orderId,
  status,
  lines: [{ sku: 'apple', quantity: 3, unitPriceCents: 250 }],
});

describe('settleReservation', () => {
  describe('when the reservation holds stock', () => {
    it('takes the sold units out of reserved, leaves available alone, and marks it settled', () => {
      expect(settleReservation(reservation('RESERVED'), [apple])).toEqual({
        reservation: { ...reservation('RESERVED'), status: 'SETTLED' },
        products: [{ ...apple, available: 4, reserved: 0 }],
      });
    });

    it('fails loudly if a reserved product is missing', () => {
      expect(() => settleReservation(reservation('RESERVED'), [])).toThrow('product apple');
    });
  });

  describe('when there is no reservation for the order', () => {
    it('changes nothing', () => {
      expect(settleReservation(undefined, [])).toBeUndefined();
    });
  });

  describe.each<ReservationStatus>(['RELEASED', 'SETTLED'])(
    'when the reservation is already %s',
    (status) => {
      it('changes nothing', () => {
        expect(settleReservation(reservation(status), [apple])).toBeUndefined();
      });
    },
  );
});
