import { consumers, OrderConfirmed, ReserveStock } from '@platform/contracts';
import {
  deliveryLimitPolicy,
  retryDelays,
  serviceTopology,
  systemTopology,
  workQueueArguments,
} from './topology';

describe('the topology of a service', () => {
  it('names its queues after the service and binds exactly what it handles', () => {
    const topology = serviceTopology(
      'inventory',
      { commands: [ReserveStock], events: [OrderConfirmed] },
      { baseMs: 1000, maxAttempts: 5 },
    );
    expect(topology.workQueues).toEqual([
      { name: 'inventory.commands', exchange: 'commands', routingKeys: ['inventory.ReserveStock'] },
      { name: 'inventory.events', exchange: 'events', routingKeys: ['order.OrderConfirmed'] },
    ]);
    expect(topology.deadLetterQueue).toBe('inventory.dlq');
    expect(topology.retryQueues.map((queue) => queue.name)).toEqual([
      'inventory.retry.1000',
      'inventory.retry.2000',
      'inventory.retry.4000',
      'inventory.retry.8000',
    ]);
  });

  it('declares no queue for a kind of message the service does not consume', () => {
    const topology = serviceTopology('notification', { events: [OrderConfirmed] });
    expect(topology.workQueues.map((queue) => queue.name)).toEqual(['notification.events']);
    expect(topology.retryQueues).toEqual([]);
  });

  it('backs off exponentially, one delay fewer than the attempts', () => {
    expect(retryDelays(100, 4)).toEqual([100, 200, 400]);
    expect(retryDelays(100, 1)).toEqual([]);
  });
});

describe('the topology of the whole system', () => {
  it('has the work queues of SPEC section 4, each bound to what its service consumes', () => {
    // The saga's services; a service added with generate:service adds its own queues beside these.
    const queues = systemTopology(consumers).flatMap((service) => service.workQueues);
    const saga = ['order', 'inventory', 'payment', 'notification'];
    const sagaQueues = queues.filter((queue) => saga.includes(queue.name.split('.')[0]));
    expect(Object.fromEntries(sagaQueues.map((queue) => [queue.name, queue.routingKeys.sort()]))).toEqual({
      'order.events': [
        'inventory.StockReservationRejected',
        'inventory.StockReserved',
        'payment.PaymentCaptured',
        'payment.PaymentDeclined',
      ],
      'inventory.commands': ['inventory.ReleaseStock', 'inventory.ReserveStock'],
      'inventory.events': ['order.OrderConfirmed'],
      'payment.commands': ['payment.ChargePayment', 'payment.RefundPayment'],
      'notification.events': ['order.OrderCancelled', 'order.OrderConfirmed'],
    });
  });

  it('keeps tunable settings out of queue arguments, where a change would make RabbitMQ refuse them', () => {
    expect(
      Object.keys(workQueueArguments({ deadLetterQueue: 'order.dlq', ownExchange: 'order.direct' })).sort(),
    ).toEqual([
      'x-dead-letter-exchange',
      'x-dead-letter-routing-key',
      'x-dead-letter-strategy',
      'x-overflow',
      'x-queue-type',
    ]);
    const policy = deliveryLimitPolicy(20);
    for (const queue of ['order.events', 'inventory.commands', 'new-thing.events']) {
      expect(new RegExp(policy.pattern).test(queue)).toBe(true);
    }
    for (const queue of ['order.dlq', 'order.retry.1000', 'commands']) {
      expect(new RegExp(policy.pattern).test(queue)).toBe(false);
    }
  });
});
