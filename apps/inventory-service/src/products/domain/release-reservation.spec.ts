import { Product } from './product';
import { releaseReservation } from './release-reservation';
import { Reservation, ReservationStatus } from './reservation';

const orderId = '3b241101-e2bb-4255-8caf-4136c566a962';
const apple: Product = { sku: 'apple', name: 'Apple', priceCents: 250, available: 4, reserved: 3 };
const reservation = (status: ReservationStatus): Reservation => ({
  orderId,
  status,
  lines: [{ sku: 'apple', quantity: 3, unitPriceCents: 250 }],
});

describe('releaseReservation', () => {
  describe('when the reservation holds stock', () => {
    it('gives the units back to available and marks it released', () => {
      expect(releaseReservation(orderId, reservation('RESERVED'), [apple])).toEqual({
        reservation: { ...reservation('RESERVED'), status: 'RELEASED' },
        products: [{ ...apple, available: 7, reserved: 0 }],
      });
    });
  });

  describe('when nothing was reserved for the order yet', () => {
    it('leaves a released tombstone that moves no stock', () => {
      expect(releaseReservation(orderId, undefined, [])).toEqual({
        reservation: { orderId, status: 'RELEASED', lines: [] },
        products: [],
      });
    });
  });

  describe.each<ReservationStatus>(['RELEASED', 'SETTLED'])(
    'when the reservation is already %s',
    (status) => {
      it('changes nothing', () => {
        expect(releaseReservation(orderId, reservation(status), [apple])).toBeUndefined();
      });
    },
  );
});
