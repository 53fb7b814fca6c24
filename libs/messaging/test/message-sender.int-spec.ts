import { randomUUID } from 'node:crypto';
import { ReserveStock, StockReserved, StockReservationRejected } from '@platform/contracts';
import { BrokerProbe, infrastructure, ServiceHarness, uniqueSuffix, waitFor } from '@platform/testing';

/**
 * Who may send each message (SPEC section 8), with one broker user per service as compose has them:
 * RabbitMQ refuses a `user-id` other than the publishing connection's own, and inventory-service dead-letters
 * a ReserveStock that did not come from order-service's user.
 */
describe('the sender of a message, as RabbitMQ validates it', () => {
  const vhost = `senders-${uniqueSuffix()}`;
  const password = randomUUID();
  const users = ['order-service', 'inventory-service', 'payment-service'];
  const urlOf = (user: string) => `amqp://${user}:${password}@127.0.0.1:5672/${vhost}`;
  let inventory: ServiceHarness;
  let asOrder: BrokerProbe;
  let asPayment: BrokerProbe;

  beforeAll(async () => {
    infrastructure.createVhost(vhost);
    for (const user of users) infrastructure.addBrokerUser(user, password, vhost);
    inventory = await ServiceHarness.start('inventory', {
      env: { RABBITMQ_URL: urlOf('inventory-service') },
    });
    asOrder = await BrokerProbe.open(urlOf('order-service'));
    asPayment = await BrokerProbe.open(urlOf('payment-service'));
  }, 90_000);

  afterAll(async () => {
    await asOrder?.close();
    await asPayment?.close();
    await inventory?.stop();
    infrastructure.deleteVhost(vhost);
    for (const user of users) infrastructure.deleteBrokerUser(user);
  });

  const reserve = (probe: BrokerProbe, properties: Record<string, unknown> = {}) => {
    const orderId = randomUUID();
    const body = JSON.stringify(
      ReserveStock.v1({ orderId, lines: [{ sku: `nothing-${orderId}`, quantity: 1 }] }),
    );
    return probe
      .publish('commands', ReserveStock.routingKey, body, {
        type: ReserveStock.type,
        correlationId: orderId,
        ...properties,
      })
      .then((messageId) => ({ orderId, messageId }));
  };

  it('handles a command sent by the service its contract names', async () => {
    const { orderId } = await reserve(asOrder);
    const reply = await inventory.waitForSentMessage(
      StockReservationRejected,
      (message) => message.orderId === orderId,
    );
    expect(reply.userId).toBe('inventory-service');
  });

  it("dead-letters, with the reason, a command sent with another service's credentials, and does nothing", async () => {
    const { orderId, messageId } = await reserve(asPayment);
    const parked = await inventory.waitForDeadLetter(messageId);
    expect(parked.properties.headers?.['x-error-reason']).toBe('unexpected-sender');
    expect(String(parked.properties.headers?.['x-error'])).toMatch(
      /ReserveStock is sent only by order-service .* user-id "payment-service"/,
    );
    const replies = [...inventory.sent(StockReserved), ...inventory.sent(StockReservationRejected)];
    expect(replies.filter((sent) => sent.payload.orderId === orderId)).toEqual([]);
  });

  it("refuses at the broker a user-id that is not the connection's own (it closes the channel)", async () => {
    await expect(reserve(asPayment, { userId: 'order-service' })).rejects.toThrow(
      /PRECONDITION_FAILED|channel closed/i,
    );
  });

  it('dead-letters a command without a user-id', async () => {
    const { messageId } = await reserve(asOrder, { userId: undefined });
    const parked = await waitFor(
      'the unsigned command in inventory.dlq',
      async () => inventory.deadLettered(messageId)[0],
    );
    expect(parked.properties.headers?.['x-error-reason']).toBe('unexpected-sender');
  });
});
