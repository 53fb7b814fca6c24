import { randomUUID } from 'node:crypto';
import { ChargePayment, OrderConfirmed, PaymentCaptured } from '@platform/contracts';
import { databaseExists, ServiceHarness } from '@platform/testing';

/** The harness every service's tests use, tried on payment-service: a command in, an event out. */
describe('ServiceHarness', () => {
  let harness: ServiceHarness;

  beforeAll(async () => {
    harness = await ServiceHarness.start('payment', { env: { PAYMENT_DEFAULT_CREDIT: '1000' } });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  const charge = (orderId: string, amount = 10) =>
    ChargePayment.v2({ orderId, customerId: `customer-${orderId}`, amount, validForMs: 60_000 });

  it('knows the service by its short name, on a fresh database and its own port', async () => {
    expect(harness.facts).toMatchObject({ name: 'payment', app: 'payment-service' });
    expect(harness.database).toMatch(/^payments_test_[a-z0-9]+$/);
    expect(harness.env).toMatchObject({ PAYMENT_DEFAULT_CREDIT: '1000', PORT: new URL(harness.url).port });
    expect((await harness.http.get('/health/ready')).status).toBe(200);
  });

  describe('when a message is published to the service', () => {
    it('delivers it as a relay would and captures what the service sends in return', async () => {
      const orderId = randomUUID();
      const messageId = await harness.publish(charge(orderId));

      const captured = await harness.waitForSentMessage(
        PaymentCaptured,
        (payload) => payload.orderId === orderId,
      );
      expect(captured).toMatchObject({
        type: 'PaymentCaptured',
        exchange: 'events',
        routingKey: 'payment.PaymentCaptured',
        correlationId: orderId,
        causationId: messageId,
        schemaVersion: 1,
        payload: { orderId, amount: 10 },
      });
      expect(await harness.waitForSent(PaymentCaptured, (payload) => payload.orderId === orderId)).toEqual(
        captured.payload,
      );
      expect(harness.sent().map((message) => message.type)).not.toContain('ChargePayment');
    });

    it('settles once the message is handled and what it caused has been received', async () => {
      const orderId = randomUUID();
      const messageId = await harness.publish(charge(orderId));

      await harness.settled();
      expect(await harness.query('SELECT 1 FROM inbox WHERE message_id = $1', [messageId])).toHaveLength(1);
      expect(await harness.query('SELECT 1 FROM outbox WHERE published_at IS NULL')).toEqual([]);
      expect(
        harness.sent(PaymentCaptured).filter((message) => message.payload.orderId === orderId),
      ).toHaveLength(1);
    });

    it('says what it waits for when nothing matches, and fails when something it must not send was sent', async () => {
      const orderId = randomUUID();
      await harness.publish(charge(orderId));
      await harness.waitForSent(PaymentCaptured, (payload) => payload.orderId === orderId);

      await expect(
        harness.waitForSent(PaymentCaptured, (payload) => payload.orderId === 'none', 200),
      ).rejects.toThrow(
        /payment-service to send a matching PaymentCaptured; it sent \d+ PaymentCaptured that did not match/,
      );
      await expect(
        harness.expectNothingSent(PaymentCaptured, (payload) => payload.orderId === orderId, 50),
      ).rejects.toThrow(
        `payment-service sent 1 PaymentCaptured that it should not have: {"orderId":"${orderId}"`,
      );
      await harness.expectNothingSent(PaymentCaptured, (payload) => payload.orderId === randomUUID(), 50);
    });

    it('refuses a type the service does not consume', async () => {
      const confirmed = OrderConfirmed.v1({ orderId: randomUUID(), customerId: 'c', lines: [], total: 0 });

      await expect(harness.publish(confirmed)).rejects.toThrow(
        'payment-service does not consume order.OrderConfirmed (it consumes payment.ChargePayment, payment.RefundPayment',
      );
    });
  });

  describe('when a raw message cannot be read', () => {
    it.each([
      ['a body that does not parse', '{"orderId": ', { 'x-schema-version': 2 }, 'malformed-body'],
      [
        'a valid body without x-schema-version',
        JSON.stringify(charge(randomUUID())),
        {},
        'unsupported-version',
      ],
    ])(
      'with %s, settles once the service has dead-lettered it as %s, which the harness shows',
      async (_, body, headers, reason) => {
        const messageId = randomUUID();
        await harness.publishRaw('commands', ChargePayment.routingKey, body, {
          messageId,
          type: ChargePayment.type,
          contentType: 'application/json',
          headers,
        });

        await harness.settled();
        expect(harness.deadLettered(messageId)).toHaveLength(1);
        expect((await harness.waitForDeadLetter(messageId)).properties.headers).toMatchObject({
          'x-error-reason': reason,
        });
      },
    );
  });

  describe('when the service is down', () => {
    it('does not settle, naming what is outstanding, until it is back and has handled the message', async () => {
      await harness.kill();
      const orderId = randomUUID();
      const messageId = await harness.publish(charge(orderId));

      const failure = harness.settled(300);
      await expect(failure).rejects.toThrow('payment-service did not settle within 300 ms');
      await expect(failure).rejects.toThrow('payment.commands holds 1 ready messages');
      await expect(failure).rejects.toThrow(
        `1 messages published to it are neither handled (inbox) nor in payment.dlq: payment.ChargePayment ${messageId}`,
      );

      await harness.restart({ PAYMENT_DEFAULT_CREDIT: '5' });
      await harness.settled();
      expect(harness.env.PAYMENT_DEFAULT_CREDIT).toBe('5');
      expect(harness.sent().filter((message) => message.correlationId === orderId)).toMatchObject([
        { type: 'PaymentDeclined', payload: { orderId, reason: 'INSUFFICIENT_CREDIT' } },
      ]);
    });
  });

  describe('when started in two steps and stopped', () => {
    it('starts on restart() and drops its database on stop()', async () => {
      const notification = await ServiceHarness.prepare('notification-service');
      try {
        expect(() => notification.service).toThrow(
          'notification-service has not been started: call restart()',
        );
        await notification.restart();
        expect((await notification.http.get('/health/ready')).status).toBe(200);
        expect(await databaseExists(notification.database)).toBe(true);
      } finally {
        await notification.stop();
      }
      expect(await databaseExists(notification.database)).toBe(false);
    });
  });
});
