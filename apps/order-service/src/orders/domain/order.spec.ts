import { messageTypeOf, schemaVersionOf } from '@platform/contracts';
import { Order } from './order';
import { OrderTransition } from './order-transition';
import { ReservationMismatchError } from './reservation-mismatch.error';

const orderId = '3b241101-e2bb-4255-8caf-4136c566a962';
const customerId = 'customer-1';
const stepTimeoutMs = 30_000;
const placedAt = new Date('2025-01-01T10:00:00.000Z');
const later = (ms: number) => new Date(placedAt.getTime() + ms);

const lines = [
  { sku: 'apple', quantity: 2 },
  { sku: 'pear', quantity: 1 },
];
const reservation = {
  lines: [
    { sku: 'apple', quantity: 2, unitPrice: 0.1 },
    { sku: 'pear', quantity: 1, unitPrice: 0.1 },
  ],
  total: 0.3,
};

/** Messages as `{ type, payload }`, the way they go on the wire. */
const sent = (transition: { messages: object[] }) =>
  transition.messages.map((message) => ({ type: messageTypeOf(message).type, payload: { ...message } }));

const placed = () => Order.place({ id: orderId, customerId, lines, now: placedAt }).order;
/** The order once its step's command was published at `at`: the step's clock runs from then (OrderSaga). */
const sentAt = (order: Order, at: Date) =>
  Order.restore({ ...order.state, stepDeadline: new Date(at.getTime() + stepTimeoutMs) });
/** An order as a handler would load it: placed and stored, so with no new history. */
const stored = (order: Order) => Order.restore(order.state);
const reserving = () => stored(placed());
const charging = () => {
  const order = reserving();
  order.recordReservation(reservation, later(1000), stepTimeoutMs);
  return stored(order);
};
const confirmed = () => {
  const order = charging();
  order.recordPayment(later(2000));
  return stored(order);
};
const cancelled = (from: () => Order) => {
  const order = sentAt(from(), later(1000));
  order.timeOut(later(1_000_000));
  return stored(order);
};

function expectNothingHappened(order: Order, transition: OrderTransition, before: Order['state']): void {
  expect(transition).toEqual({ kind: 'unchanged', messages: [] });
  expect(order.state).toEqual(before);
  expect(order.newHistory).toEqual([]);
}

describe('an order', () => {
  describe('when it is placed', () => {
    it('waits for its stock, with no deadline until its ReserveStock is published, and asks inventory to reserve every line', () => {
      const { order, messages } = Order.place({ id: orderId, customerId, lines, now: placedAt });

      expect(order.state).toMatchObject({
        id: orderId,
        customerId,
        status: 'PENDING',
        cancellationReason: null,
        step: 'RESERVING_STOCK',
        stepDeadline: null,
        totalCents: null,
        createdAt: placedAt,
      });
      expect(order.state.lines).toEqual([
        { sku: 'apple', quantity: 2, unitPriceCents: null },
        { sku: 'pear', quantity: 1, unitPriceCents: null },
      ]);
      expect(order.newHistory).toEqual([{ entry: 'PENDING', at: placedAt }]);
      expect(sent({ messages })).toEqual([{ type: 'ReserveStock', payload: { orderId, lines } }]);
    });

    it('refuses an order without lines', () => {
      expect(() => Order.place({ id: orderId, customerId, lines: [], now: placedAt })).toThrow(RangeError);
    });

    it('refuses an order whose lines repeat a sku', () => {
      const repeating = [...lines, { sku: 'apple', quantity: 1 }];
      expect(() => Order.place({ id: orderId, customerId, lines: repeating, now: placedAt })).toThrow(
        `order ${orderId} names sku apple on lines 0 and 2`,
      );
    });
  });

  describe('when inventory reserves the stock while the order waits for it', () => {
    it('prices the lines, asks payment for the total within the step timeout and records the milestone', () => {
      const order = reserving();
      const transition = order.recordReservation(reservation, later(1000), stepTimeoutMs);

      expect(transition.kind).toBe('payment-requested');
      expect(order.state).toMatchObject({
        status: 'PENDING',
        step: 'CHARGING_PAYMENT',
        stepDeadline: null,
        totalCents: 30,
        updatedAt: later(1000),
      });
      expect(order.state.lines.map((line) => line.unitPriceCents)).toEqual([10, 10]);
      expect(order.newHistory).toEqual([{ entry: 'STOCK_RESERVED', at: later(1000) }]);
      expect(sent(transition)).toEqual([
        {
          type: 'ChargePayment',
          payload: {
            orderId,
            customerId,
            amount: 0.3,
            validForMs: stepTimeoutMs,
          },
        },
      ]);
      expect(transition.messages.map(schemaVersionOf)).toEqual([2]);
    });

    it('matches reserved lines by sku and quantity, whatever their order', () => {
      const order = stored(
        Order.place({
          id: orderId,
          customerId,
          lines: [
            { sku: 'apple', quantity: 1 },
            { sku: 'pear', quantity: 3 },
            { sku: 'plum', quantity: 2 },
          ],
          now: placedAt,
        }).order,
      );
      order.recordReservation(
        {
          lines: [
            { sku: 'pear', quantity: 3, unitPrice: 1.5 },
            { sku: 'plum', quantity: 2, unitPrice: 0.25 },
            { sku: 'apple', quantity: 1, unitPrice: 0.25 },
          ],
          total: 5.25,
        },
        later(1000),
        stepTimeoutMs,
      );

      expect(order.state.lines.map((line) => line.unitPriceCents)).toEqual([25, 150, 25]);
      expect(order.state.totalCents).toBe(525);
    });

    it.each([
      ['a total that is not the sum of its lines', { ...reservation, total: 0.4 }],
      ['a missing line', { lines: reservation.lines.slice(0, 1), total: 0.2 }],
      [
        'a line the order does not have',
        { lines: [...reservation.lines, { sku: 'plum', quantity: 1, unitPrice: 1 }], total: 1.3 },
      ],
      [
        'another quantity',
        { lines: [{ ...reservation.lines[0], quantity: 3 }, reservation.lines[1]], total: 0.4 },
      ],
    ])('refuses a reservation with %s and stays as it was', (_, mismatched) => {
      const order = reserving();
      const before = order.state;

      expect(() => order.recordReservation(mismatched, later(1000), stepTimeoutMs)).toThrow(
        ReservationMismatchError,
      );
      expect(order.state).toBe(before);
      expect(order.newHistory).toEqual([]);
    });
  });

  describe('when inventory rejects the reservation while the order waits for it', () => {
    it.each(['OUT_OF_STOCK', 'UNKNOWN_PRODUCT'] as const)(
      'cancels with %s and releases nothing, since nothing is held',
      (reason) => {
        const order = reserving();
        const transition = order.reject(reason, later(1000));

        expect(transition).toMatchObject({ kind: 'cancelled', reason });
        expect(order.state).toMatchObject({
          status: 'CANCELLED',
          cancellationReason: reason,
          step: null,
          stepDeadline: null,
        });
        expect(order.newHistory).toEqual([{ entry: 'CANCELLED', at: later(1000) }]);
        expect(sent(transition)).toEqual([
          { type: 'OrderCancelled', payload: { orderId, customerId, reason } },
        ]);
      },
    );
  });

  describe('when payment captures the total while the order waits for it', () => {
    it('confirms the order and announces it with its priced lines and total', () => {
      const order = charging();
      const transition = order.recordPayment(later(2000));

      expect(transition.kind).toBe('confirmed');
      expect(order.state).toMatchObject({ status: 'CONFIRMED', step: null, stepDeadline: null });
      expect(order.newHistory).toEqual([
        { entry: 'PAYMENT_CAPTURED', at: later(2000) },
        { entry: 'CONFIRMED', at: later(2000) },
      ]);
      expect(sent(transition)).toEqual([
        {
          type: 'OrderConfirmed',
          payload: { orderId, customerId, lines: reservation.lines, total: 0.3 },
        },
      ]);
    });
  });

  describe('when payment declines while the order waits for it', () => {
    it('releases the reservation and cancels the order', () => {
      const order = charging();
      const transition = order.decline(later(2000));

      expect(order.state).toMatchObject({ status: 'CANCELLED', cancellationReason: 'PAYMENT_DECLINED' });
      expect(order.newHistory).toEqual([{ entry: 'CANCELLED', at: later(2000) }]);
      expect(sent(transition)).toEqual([
        { type: 'ReleaseStock', payload: { orderId } },
        { type: 'OrderCancelled', payload: { orderId, customerId, reason: 'PAYMENT_DECLINED' } },
      ]);
    });
  });

  describe('when a step gets no reply by its deadline', () => {
    it.each([
      ['reserving stock', reserving, later(500 + stepTimeoutMs)],
      ['charging payment', charging, later(500 + stepTimeoutMs)],
    ])('while %s, cancels with TIMEOUT and releases the stock', (_, from, deadline) => {
      const order = sentAt(from(), later(500));
      const transition = order.timeOut(deadline);

      expect(transition).toMatchObject({ kind: 'cancelled', reason: 'TIMEOUT' });
      expect(order.state).toMatchObject({ status: 'CANCELLED', cancellationReason: 'TIMEOUT', step: null });
      expect(order.newHistory).toEqual([{ entry: 'CANCELLED', at: deadline }]);
      expect(sent(transition)).toEqual([
        { type: 'ReleaseStock', payload: { orderId } },
        { type: 'OrderCancelled', payload: { orderId, customerId, reason: 'TIMEOUT' } },
      ]);
    });

    it('does nothing before the deadline', () => {
      const order = sentAt(reserving(), later(500));
      const before = order.state;
      expectNothingHappened(order, order.timeOut(later(500 + stepTimeoutMs - 1)), before);
    });

    it("does nothing while the step's command has not left the outbox, however long ago the order was placed", () => {
      const order = reserving();
      const before = order.state;
      expectNothingHappened(order, order.timeOut(later(10 * stepTimeoutMs)), before);
    });

    it.each([
      ['confirmed', confirmed],
      ['cancelled', () => cancelled(reserving)],
    ])('does nothing to a %s order', (_, from) => {
      const order = from();
      const before = order.state;
      expectNothingHappened(order, order.timeOut(later(10_000_000)), before);
    });
  });

  describe('when a reply comes after the saga gave up', () => {
    it('gives back stock reserved too late, and stays cancelled', () => {
      const order = cancelled(reserving);
      const before = order.state;
      const transition = order.recordReservation(reservation, later(2_000_000), stepTimeoutMs);

      expect(transition.kind).toBe('compensated');
      expect(sent(transition)).toEqual([{ type: 'ReleaseStock', payload: { orderId } }]);
      expect(order.state).toBe(before);
      expect(order.newHistory).toEqual([]);
    });

    it('refunds a payment captured too late, and never confirms', () => {
      const order = cancelled(charging);
      const before = order.state;
      const transition = order.recordPayment(later(2_000_000));

      expect(transition.kind).toBe('compensated');
      expect(sent(transition)).toEqual([{ type: 'RefundPayment', payload: { orderId } }]);
      expect(order.state).toBe(before);
      expect(order.state.status).toBe('CANCELLED');
    });

    it('ignores a decline, since nothing was charged', () => {
      const order = cancelled(charging);
      const before = order.state;
      expectNothingHappened(order, order.decline(later(2_000_000)), before);
    });

    it('ignores a rejection, since nothing was reserved', () => {
      const order = cancelled(reserving);
      const before = order.state;
      expectNothingHappened(order, order.reject('OUT_OF_STOCK', later(2_000_000)), before);
    });
  });

  describe('when a reply comes twice or out of order', () => {
    it.each([
      [
        'a second reservation while charging',
        charging,
        (order: Order) => order.recordReservation(reservation, later(3000), stepTimeoutMs),
      ],
      [
        'a reservation after confirmation',
        confirmed,
        (order: Order) => order.recordReservation(reservation, later(3000), stepTimeoutMs),
      ],
      ['a rejection while charging', charging, (order: Order) => order.reject('OUT_OF_STOCK', later(3000))],
      [
        'a rejection after confirmation',
        confirmed,
        (order: Order) => order.reject('UNKNOWN_PRODUCT', later(3000)),
      ],
      ['a capture while reserving', reserving, (order: Order) => order.recordPayment(later(3000))],
      ['a second capture', confirmed, (order: Order) => order.recordPayment(later(3000))],
      ['a decline while reserving', reserving, (order: Order) => order.decline(later(3000))],
      ['a decline after confirmation', confirmed, (order: Order) => order.decline(later(3000))],
      [
        'a second decline',
        () => {
          const order = charging();
          order.decline(later(2000));
          return stored(order);
        },
        (order: Order) => order.decline(later(3000)),
      ],
    ])('changes nothing and sends nothing for %s', (_, from, reply) => {
      const order = from();
      const before = order.state;
      expectNothingHappened(order, reply(order), before);
    });
  });
});
