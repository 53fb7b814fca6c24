import { ReserveStock, OrderConfirmed } from '@platform/contracts';
import { retryDelays, serviceTopology } from './topology';

describe('the topology of a service', () => {
  it('names its queues after the service and binds what it handles', () => {
    const topology = serviceTopology('inventory', [ReserveStock, OrderConfirmed], {
      baseMs: 1000,
      maxAttempts: 5,
    });
    expect(topology.commandQueue).toBe('inventory.commands');
    expect(topology.eventQueue).toBe('inventory.events');
    expect(topology.deadLetterQueue).toBe('inventory.dlq');
    expect(topology.commandBindings).toEqual(['inventory.ReserveStock']);
    expect(topology.eventBindings).toEqual(['order.OrderConfirmed']);
    expect(topology.retryQueues.map((queue) => queue.name)).toEqual([
      'inventory.retry.1000',
      'inventory.retry.2000',
      'inventory.retry.4000',
      'inventory.retry.8000',
    ]);
  });

  it('backs off exponentially, one delay fewer than the attempts', () => {
    expect(retryDelays(100, 4)).toEqual([100, 200, 400]);
    expect(retryDelays(100, 1)).toEqual([]);
  });
});
