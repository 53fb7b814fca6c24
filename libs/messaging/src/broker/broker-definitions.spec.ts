import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brokerUserOf, consumers } from '@platform/contracts';
import { brokerDefinitions } from './broker-definitions';
import { brokerPermissions, DEFAULT_DELIVERY_LIMIT, systemTopology } from './topology';

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
    const bindings = expected.bindings as Array<{ source: string; destination: string; routing_key: string }>;
    const shared = bindings.filter((binding) => ['commands', 'events'].includes(binding.source));
    expect(shared.filter((binding) => ofSaga(binding.destination))).toHaveLength(11);
    // Each service's own exchange reaches its dead-letter and work queues by name, and nothing else.
    const own = bindings.filter(
      (binding) => binding.source.endsWith('.direct') && ofSaga(binding.destination),
    );
    expect(own.map((binding) => `${binding.source} ${binding.routing_key}`).sort()).toEqual(
      names.map((name) => `${name.split('.')[0]}.direct ${name}`).sort(),
    );
  });

  const permissions = brokerPermissions(consumers, brokerUserOf);

  it('give each service user the permissions the contracts call for (regenerate as above)', () => {
    const services = new Set(permissions.permissions.map((permission) => permission.user));
    const ofServices = (entries: Array<{ user: string }>) =>
      entries.filter((entry) => services.has(entry.user));
    expect(ofServices(committed.permissions)).toEqual(permissions.permissions);
    expect(ofServices(committed.topic_permissions)).toEqual(permissions.topicPermissions);
  });

  it('let no service write to the default exchange or configure the shared exchanges, and only senders write commands', () => {
    const allows = (pattern: string, name: string) => new RegExp(pattern).test(name);
    for (const { user, configure, write } of permissions.permissions) {
      expect({ user, defaultExchange: allows(write, 'amq.default') }).toEqual({
        user,
        defaultExchange: false,
      });
      for (const shared of ['commands', 'events']) {
        expect({ user, shared, configure: allows(configure, shared) }).toEqual({
          user,
          shared,
          configure: false,
        });
      }
      expect({ user, commands: allows(write, 'commands') }).toEqual({
        user,
        commands: user === 'order-service',
      });
      expect(allows(write, 'inventory.commands')).toBe(user === 'inventory-service');
    }
    const orderEvents = permissions.topicPermissions.find((entry) => entry.user === 'order-service')!;
    expect(allows(orderEvents.write, 'order.OrderConfirmed')).toBe(true);
    expect(allows(orderEvents.write, 'payment.PaymentCaptured')).toBe(false);
  });
});
