import { fromCents, messageTypeOf } from '@platform/contracts';
import { Order } from '../orders/domain/order';
import { OrderTransition } from '../orders/domain/order-transition';

/** A log line about one step of an order's saga: info for what changed it, debug for what did not. */
export interface TransitionLog {
  level: 'log' | 'debug';
  line: Record<string, unknown> & { msg: string; orderId: string };
}

const totalOf = (order: Order) =>
  order.state.totalCents === null ? null : fromCents(order.state.totalCents);

/** What an operator reads about a transition, by order id only (never the customer). */
export function transitionLog(order: Order, transition: OrderTransition): TransitionLog {
  const orderId = order.id;
  const sent = transition.messages.map((message) => messageTypeOf(message).type);
  switch (transition.kind) {
    case 'payment-requested':
      return {
        level: 'log',
        line: { msg: 'stock reserved, payment requested', orderId, total: totalOf(order) },
      };
    case 'confirmed':
      return { level: 'log', line: { msg: 'order confirmed', orderId, total: totalOf(order) } };
    case 'cancelled': {
      const compensations = sent.filter((type) => type !== 'OrderCancelled');
      return {
        level: 'log',
        line: { msg: 'order cancelled', orderId, reason: transition.reason, compensations },
      };
    }
    case 'compensated':
      return {
        level: 'log',
        line: { msg: 'late reply for a cancelled order compensated', orderId, compensations: sent },
      };
    case 'unchanged':
      return { level: 'debug', line: { msg: 'reply changed nothing', orderId, status: order.state.status } };
  }
}
