import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { brokerUserOf, consumers } from '@platform/contracts';
import { brokerPermissions, declareSystemTopology, systemTopology } from '@platform/messaging';
import {
  databaseUrl,
  dropDatabase,
  freePort,
  httpClient,
  infrastructure,
  ServiceProcess,
  startService,
  uniqueSuffix,
  waitFor,
} from '@platform/testing';

/**
 * The broker permissions compose loads (derived from the contracts by `npm run topology -- definitions`),
 * applied to a virtual host of the machine's RabbitMQ: the four services run the saga with nothing more, and
 * no service's credentials can fill, read or purge another service's queues, publish another service's
 * messages, or change the shared exchanges (SPEC section 8).
 */
describe('least-privilege broker users', () => {
  const vhost = `least-privilege-${uniqueSuffix()}`;
  const password = randomUUID();
  const { permissions, topicPermissions } = brokerPermissions(consumers, brokerUserOf, vhost);
  const services = Object.keys(consumers);
  const urlOf = (user: string) => `amqp://${user}:${password}@127.0.0.1:5672/${encodeURIComponent(vhost)}`;
  const running: Record<string, ServiceProcess> = {};
  const databases: string[] = [];

  beforeAll(async () => {
    infrastructure.createVhost(vhost);
    const setup = await connect(`amqp://guest:guest@127.0.0.1:5672/${encodeURIComponent(vhost)}`);
    try {
      await declareSystemTopology(setup, systemTopology(consumers));
    } finally {
      await setup.close();
    }
    for (const permission of permissions) {
      infrastructure.addBrokerUser(permission.user, password, vhost);
      const topic = topicPermissions.find((entry) => entry.user === permission.user);
      infrastructure.setBrokerPermissions(vhost, permission.user, permission, topic);
    }
    await Promise.all(
      services.map(async (service) => {
        const database = `${service}_perm_${uniqueSuffix()}`;
        databases.push(database);
        running[service] = await startService(`${service}-service`, {
          PORT: String(await freePort()),
          DATABASE_URL: databaseUrl(database),
          RABBITMQ_URL: urlOf(brokerUserOf(service)),
          MESSAGING_RETRY_BASE_MS: '200',
        });
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(Object.values(running).map((service) => service.stop()));
    await Promise.all(databases.map(dropDatabase));
    infrastructure.deleteVhost(vhost);
    for (const { user } of permissions) infrastructure.deleteBrokerUser(user);
  });

  it('is enough for the whole saga: an order ends CONFIRMED and is notified', async () => {
    const http = (service: string) => httpClient(running[service].url);
    const sku = `PERM-${uniqueSuffix()}`;
    expect((await http('inventory').put(`/products/${sku}`, { name: 'x', price: 2, stock: 5 })).status).toBe(
      201,
    );
    const customer = `perm-${uniqueSuffix()}`;
    const placed = await http('order')
      .as({ customer })
      .post('/orders', { items: [{ sku, quantity: 1 }] });
    expect(placed.status).toBe(202);
    const order = await waitFor(`order ${placed.body.id} to end`, async () => {
      const { body } = await http('order').get(`/orders/${placed.body.id}`);
      return ['CONFIRMED', 'CANCELLED'].includes(body?.status) ? body : undefined;
    });
    expect(order.status).toBe('CONFIRMED');
    await waitFor('the confirmation to be recorded', async () => {
      const { body } = await http('notification').get(`/notifications?orderId=${placed.body.id}`);
      return body?.length > 0 ? true : undefined;
    });
  });

  /** Publishes one message as `user` and answers `ok` once confirmed, or the broker's refusal code. */
  async function publishAs(user: string, exchange: string, routingKey: string): Promise<string> {
    return attempt(user, async (channel) => {
      await new Promise<void>((resolve, reject) =>
        channel.publish(exchange, routingKey, Buffer.from('{}'), { userId: user }, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    });
  }

  /** Runs one operation on a channel of its own as `user`: `ok`, or the code RabbitMQ closed the channel with. */
  async function attempt(
    user: string,
    operation: (channel: import('amqplib').ConfirmChannel) => Promise<unknown>,
  ): Promise<string> {
    const connection = await connect(urlOf(user));
    try {
      const channel = await connection.createConfirmChannel();
      let refused: string | undefined;
      channel.on('error', (error: { code?: number }) => (refused = String(error.code)));
      try {
        await operation(channel);
        await channel.close();
        return 'ok';
      } catch (error) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return refused ?? String((error as { code?: number }).code ?? (error as Error).message);
      }
    } finally {
      await connection.close().catch(() => undefined);
    }
  }

  it.each(services)(
    "gives %s's credentials no way into another service's queues or the shared exchanges",
    async (service) => {
      const user = brokerUserOf(service);
      const others = services.filter((other) => other !== service);
      const outcomes: Record<string, string> = {};
      for (const other of others) {
        const queue = `${other}.dlq`;
        outcomes[`fill ${queue} through the default exchange`] = await publishAs(user, '', queue);
        outcomes[`fill ${queue} through ${other}.direct`] = await publishAs(user, `${other}.direct`, queue);
        outcomes[`publish an event of ${other}`] = await publishAs(user, 'events', `${other}.Forged`);
        outcomes[`read ${queue}`] = await attempt(user, (channel) => channel.get(queue));
        outcomes[`purge ${queue}`] = await attempt(user, (channel) => channel.purgeQueue(queue));
        outcomes[`delete ${queue}`] = await attempt(user, (channel) => channel.deleteQueue(queue));
      }
      for (const shared of ['commands', 'events']) {
        outcomes[`delete exchange ${shared}`] = await attempt(user, (channel) =>
          channel.deleteExchange(shared),
        );
        outcomes[`redeclare exchange ${shared}`] = await attempt(user, (channel) =>
          channel.assertExchange(shared, 'fanout', { durable: true }),
        );
      }
      if (service !== 'order') {
        outcomes['send a command'] = await publishAs(user, 'commands', 'payment.ChargePayment');
      }
      expect(outcomes).toEqual(Object.fromEntries(Object.keys(outcomes).map((what) => [what, '403'])));
      // What it needs stays allowed: its own events, and its own dead-letter queue through its own exchange.
      expect(await publishAs(user, 'events', `${service}.PermissionProbe`)).toBe('ok');
      expect(await publishAs(user, `${service}.direct`, 'nowhere')).toBe('ok');
    },
  );
});
