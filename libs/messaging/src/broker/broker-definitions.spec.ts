import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consumers } from '@platform/contracts';
import { brokerDefinitions } from './broker-definitions';
import { DEFAULT_DELIVERY_LIMIT, systemTopology } from './topology';

describe("the broker definitions compose's RabbitMQ loads at boot", () => {
  const file = join(__dirname, '../../../../deploy/rabbitmq/definitions.json');
  const committed = JSON.parse(readFileSync(file, 'utf8'));
  const expected = brokerDefinitions(systemTopology(consumers), DEFAULT_DELIVERY_LIMIT);

  it.each(['exchanges', 'queues', 'bindings', 'policies'] as const)(
    'hold the same %s the services declare (regenerate: npm run topology -- definitions deploy/rabbitmq/definitions.json)',
    (part) => {
      expect(committed[part]).toEqual(expected[part]);
    },
  );

  it('declare every work queue with its dead-letter queue and a binding per consumed message', () => {
    // The saga's services; a service added with generate:service adds its own queues beside these.
    const saga = ['order', 'inventory', 'payment', 'notification'];
    const ofSaga = (name: string) => saga.includes(name.split('.')[0]);
    const names = expected.queues
      .map((queue) => (queue as { name: string }).name)
      .filter(ofSaga)
      .sort();
    expect(names).toEqual([
      'inventory.commands',
      'inventory.dlq',
      'inventory.events',
      'notification.dlq',
      'notification.events',
      'order.dlq',
      'order.events',
      'payment.commands',
      'payment.dlq',
    ]);
    expect(
      expected.bindings.filter((binding) => ofSaga((binding as { destination: string }).destination)),
    ).toHaveLength(11);
  });
});
