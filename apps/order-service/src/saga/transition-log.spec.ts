import { Order } from '../orders/domain/order';
import { transitionLog } from './transition-log';

const orderId = '3b241101-e2bb-4255-8caf-4136c566a962';
const customerId = 'customer-with-a-secret-name';
const placedAt = new Date('2025-01-01T10:00:00.000Z');
const later = (ms: number) => new Date(placedAt.getTime() + ms);
const lines = [{ sku: 'apple', quantity: 2 }];
const reservation = { lines: [{ sku: 'apple', quantity: 2, unitPrice: 1.25 }], total: 2.5 };

const waiting = () =>
  Order.restore(Order.place({ id: orderId, customerId, lines, now: placedAt }).order.state);
const charging = () => {
  const order = waiting();
  order.recordReservation(reservation, later(10), 1000);
  return Order.restore(order.state);
};

describe('the log line of a saga transition', () => {
  it.each([
    [
      'a reservation',
      () => {
        const order = waiting();
        return [order, order.recordReservation(reservation, later(10), 1000)] as const;
      },
      { level: 'log', line: { msg: 'stock reserved, payment requested', orderId, total: 2.5 } },
    ],
    [
      'a captured payment',
      () => {
        const order = charging();
        return [order, order.recordPayment(later(20))] as const;
      },
      { level: 'log', line: { msg: 'order confirmed', orderId, total: 2.5 } },
    ],
    [
      'a declined payment',
      () => {
        const order = charging();
        return [order, order.decline(later(20))] as const;
      },
      {
        level: 'log',
        line: {
          msg: 'order cancelled',
          orderId,
          reason: 'PAYMENT_DECLINED',
          compensations: ['ReleaseStock'],
        },
      },
    ],
    [
      'a rejected reservation',
      () => {
        const order = waiting();
        return [order, order.reject('OUT_OF_STOCK', later(10))] as const;
      },
      { level: 'log', line: { msg: 'order cancelled', orderId, reason: 'OUT_OF_STOCK', compensations: [] } },
    ],
    [
      'a payment captured after a timeout',
      () => {
        // Its ChargePayment was published at 10 ms, so the step's clock ran out at 1010 ms.
        const order = Order.restore({ ...charging().state, stepDeadline: later(1010) });
        order.timeOut(later(5000));
        const cancelled = Order.restore(order.state);
        return [cancelled, cancelled.recordPayment(later(6000))] as const;
      },
      {
        level: 'log',
        line: {
          msg: 'late reply for a cancelled order compensated',
          orderId,
          compensations: ['RefundPayment'],
        },
      },
    ],
    [
      'a duplicate reply',
      () => {
        const order = charging();
        return [order, order.recordReservation(reservation, later(30), 1000)] as const;
      },
      { level: 'debug', line: { msg: 'reply changed nothing', orderId, status: 'PENDING' } },
    ],
  ])('tells %s by order id', (_, happen, expected) => {
    const [order, transition] = happen();
    const log = transitionLog(order, transition);

    expect(log).toEqual(expected);
    expect(JSON.stringify(log)).not.toContain(customerId);
  });
});
