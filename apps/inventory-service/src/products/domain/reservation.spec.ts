import { heldSkus, Reservation, totalCents } from './reservation';

const lines = [
  { sku: 'apple', quantity: 3, unitPriceCents: 10 },
  { sku: 'pear', quantity: 1, unitPriceCents: 20 },
];
const reservation = (status: Reservation['status']): Reservation => ({ orderId: 'o', status, lines });

describe('a reservation', () => {
  it('costs the sum of unit price times quantity', () => {
    expect(totalCents(lines)).toBe(50);
  });

  it('holds the stock of its products while reserved', () => {
    expect(heldSkus(reservation('RESERVED'))).toEqual(['apple', 'pear']);
  });

  it.each<Reservation['status']>(['RELEASED', 'SETTLED'])('holds no stock once %s', (status) => {
    expect(heldSkus(reservation(status))).toEqual([]);
  });

  it('holds no stock when it does not exist', () => {
    expect(heldSkus(undefined)).toEqual([]);
  });
});
