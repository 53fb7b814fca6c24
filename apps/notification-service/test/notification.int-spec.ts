import { randomUUID } from 'node:crypto';
import { OrderCancelled, OrderConfirmed } from '@platform/contracts';
import { freePort, MailCatcher, ServiceHarness, uniqueSuffix, waitFor } from '@platform/testing';

interface NotificationView {
  id: string;
  orderId: string;
  customerId: string;
  type: string;
  channel: string;
  status: string;
  createdAt: string;
}

interface DeliveryRow {
  status: string;
  attempts: number;
  last_error: string | null;
}

describe('notification-service', () => {
  /** Starts the service for the enclosing describe, with what `env()` gives once its beforeAll runs. */
  function runningService(env: () => Record<string, string>) {
    const running = {
      harness: undefined as unknown as ServiceHarness,
      /** Publishes an order event the way order-service's outbox would; returns its message id. */
      publish: (event: object, messageId?: string) => running.harness.publish(event, { messageId }),
    };
    beforeAll(async () => {
      running.harness = await ServiceHarness.start('notification', { env: env() });
    });
    afterAll(async () => {
      await running.harness?.stop();
    });
    return running;
  }

  const confirmed = (orderId: string, customerId: string, customerEmail?: string) =>
    OrderConfirmed.v1({
      orderId,
      customerId,
      customerEmail,
      lines: [
        { sku: 'TEA-GREEN', quantity: 3, unitPrice: 0.1 },
        { sku: 'MUG', quantity: 1, unitPrice: 12.5 },
      ],
      total: 12.8,
    });

  describe('with the log channel', () => {
    const running = runningService(() => ({ LOG_LEVEL: 'info' }));

    const notificationsOf = async (orderId: string): Promise<NotificationView[]> =>
      (await running.harness.http.get(`/notifications?orderId=${orderId}`)).body;
    const sentNotificationsOf = (orderId: string) =>
      waitFor(`a SENT notification of ${orderId}`, async () => {
        const notifications = await notificationsOf(orderId);
        return notifications.length > 0 && notifications.every((n) => n.status === 'SENT') && notifications;
      });

    describe('when an order is confirmed', () => {
      it('records one ORDER_CONFIRMED notification and delivers it as a log line without personal data', async () => {
        const orderId = randomUUID();
        await running.publish(confirmed(orderId, 'customer-1'));

        const notifications = await sentNotificationsOf(orderId);
        expect(notifications).toEqual([
          {
            id: expect.stringMatching(/^[0-9a-f-]{36}$/),
            orderId,
            customerId: 'customer-1',
            type: 'ORDER_CONFIRMED',
            channel: 'log',
            status: 'SENT',
            createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          },
        ]);
        const line = running.harness.service.logs.find(
          (log) => log.includes('notification delivered to the log') && log.includes(orderId),
        );
        expect(JSON.parse(line!)).toMatchObject({
          level: 'info',
          orderId,
          type: 'ORDER_CONFIRMED',
          subject: `Order ${orderId.slice(0, 8)}… confirmed`,
        });
        const aboutOrder = running.harness.service.logs.filter((log) => log.includes(orderId));
        expect(aboutOrder.filter((log) => log.includes('customer-1') || log.includes('Total:'))).toEqual([]);
      });
    });

    describe('when an order is cancelled', () => {
      it('records one ORDER_CANCELLED notification and delivers it', async () => {
        const orderId = randomUUID();
        await running.publish(
          OrderCancelled.v1({ orderId, customerId: 'customer-2', reason: 'PAYMENT_DECLINED' }),
        );

        const notifications = await sentNotificationsOf(orderId);
        expect(notifications).toMatchObject([{ orderId, type: 'ORDER_CANCELLED', status: 'SENT' }]);
      });
    });

    describe('when the same event arrives twice under different message ids', () => {
      it('keeps one notification', async () => {
        const orderId = randomUUID();
        const messageIds = [randomUUID(), randomUUID()];
        for (const messageId of messageIds)
          await running.publish(confirmed(orderId, 'customer-3'), messageId);

        await running.harness.settled();
        await sentNotificationsOf(orderId);
        expect(await notificationsOf(orderId)).toHaveLength(1);
      });
    });

    describe('when a cancellation arrives late for an order already confirmed', () => {
      it('keeps the confirmation as the only notification', async () => {
        const orderId = randomUUID();
        await running.publish(confirmed(orderId, 'customer-4'));
        await sentNotificationsOf(orderId);
        await running.publish(OrderCancelled.v1({ orderId, customerId: 'customer-4', reason: 'TIMEOUT' }));

        await running.harness.settled();
        expect(await notificationsOf(orderId)).toMatchObject([{ type: 'ORDER_CONFIRMED', status: 'SENT' }]);
      });
    });

    describe('when listing by customer', () => {
      it("lists the customer's notifications, newest first", async () => {
        const customerId = `customer-${uniqueSuffix()}`;
        const [first, second] = [randomUUID(), randomUUID()];
        await running.publish(confirmed(first, customerId));
        await sentNotificationsOf(first);
        await running.publish(OrderCancelled.v1({ orderId: second, customerId, reason: 'OUT_OF_STOCK' }));
        await sentNotificationsOf(second);

        const { status, body } = await running.harness.http.get(`/notifications?customerId=${customerId}`);
        expect(status).toBe(200);
        expect(
          body.map((notification: NotificationView) => [notification.orderId, notification.type]),
        ).toEqual([
          [second, 'ORDER_CANCELLED'],
          [first, 'ORDER_CONFIRMED'],
        ]);
      });

      it('answers an empty list for an order without notifications', async () => {
        const { status, body } = await running.harness.http.get(`/notifications?orderId=${randomUUID()}`);
        expect({ status, body }).toEqual({ status: 200, body: [] });
      });
    });

    describe('when the query is bad', () => {
      it.each([
        ['neither orderId nor customerId', '/notifications', 'orderId or customerId is required'],
        ['an orderId that is not a UUID', '/notifications?orderId=1234', 'orderId must be a UUID'],
        ['an empty customerId', '/notifications?customerId=', 'customerId'],
        ['a customerId over 100 characters', `/notifications?customerId=${'c'.repeat(101)}`, 'customerId'],
        ['an unknown parameter', `/notifications?orderId=${randomUUID()}&status=SENT`, 'status'],
      ])('answers 400 for %s, naming it', async (_, path, named) => {
        const { status, text } = await running.harness.http.get(path);
        expect(status).toBe(400);
        expect(text).toContain(named);
      });
    });
  });

  describe('with the smtp channel', () => {
    let mail: MailCatcher;
    beforeAll(async () => {
      mail = await MailCatcher.start();
    });
    afterAll(async () => {
      await mail.stop();
    });
    const running = runningService(() => ({
      NOTIFICATION_CHANNEL: 'smtp',
      NOTIFICATION_FROM: 'shop@example.com',
      SMTP_URL: mail.url,
    }));

    const deliveryOf = async (orderId: string) =>
      (
        await running.harness.query<DeliveryRow>(
          `SELECT status, attempts, last_error FROM notifications WHERE order_id = $1`,
          [orderId],
        )
      )[0];
    const mailFor = (orderId: string) =>
      waitFor(`a mail about ${orderId}`, () => mail.mails.find((caught) => caught.text.includes(orderId)));

    describe("when the order carries the address the customer's token vouched for", () => {
      it('mails the customer there and marks the notification SENT', async () => {
        const orderId = randomUUID();
        await running.publish(confirmed(orderId, 'customer-alice', 'alice@example.org'));

        const caught = await mailFor(orderId);
        expect(caught).toMatchObject({
          from: 'shop@example.com',
          to: ['alice@example.org'],
          subject: `Order ${orderId.slice(0, 8)}… confirmed`,
        });
        expect(caught.text).toContain('3 × TEA-GREEN at 0.10 = 0.30');
        await waitFor(
          'the notification to be SENT',
          async () => (await deliveryOf(orderId))?.status === 'SENT',
        );
        // The notification's own id, so a copy sent again after a crash is the same message to a mail client.
        const [{ id }] = await running.harness.query<{ id: string }>(
          `SELECT id FROM notifications WHERE order_id = $1`,
          [orderId],
        );
        expect(caught.messageId).toBe(`<${id}@notifications.nest-saga-platform>`);
        const [view] = (await running.harness.http.get(`/notifications?orderId=${orderId}`)).body;
        expect(view).toMatchObject({ channel: 'smtp', status: 'SENT', type: 'ORDER_CONFIRMED' });
      });
    });

    describe('when the order carries no verified address', () => {
      it.each([
        ['an ordinary customer id', 'customer-42'],
        // Before, an id that looked like an address was mailed to: anyone could make the platform mail anyone.
        ['a customer id that looks like an address', 'victim@example.org'],
      ])('mails nobody for %s and marks the notification FAILED at once', async (_, customerId) => {
        const orderId = randomUUID();
        await running.publish(OrderCancelled.v1({ orderId, customerId, reason: 'OUT_OF_STOCK' }));

        const failed = await waitFor('the notification to fail', async () => {
          const delivery = await deliveryOf(orderId);
          return delivery?.status === 'FAILED' ? delivery : undefined;
        });
        expect(failed).toMatchObject({
          attempts: 1,
          last_error: expect.stringMatching(/no verified e-mail address/),
        });
        expect(mail.mails.filter((caught) => caught.text.includes(orderId))).toEqual([]);
      });
    });

    describe('when the mail server is down for a while', () => {
      it('keeps the notification PENDING with growing attempts, then sends it once the server is back', async () => {
        await mail.stop();
        const orderId = randomUUID();
        await running.publish(confirmed(orderId, 'customer-bob', 'bob@example.org'));

        const pending = await waitFor('a second failed attempt', async () => {
          const delivery = await deliveryOf(orderId);
          return (delivery?.attempts ?? 0) >= 2 && delivery;
        });
        expect(pending).toMatchObject({
          status: 'PENDING',
          last_error: expect.stringMatching(/ECONNREFUSED/),
        });
        const [view] = (await running.harness.http.get(`/notifications?orderId=${orderId}`)).body;
        expect(view.status).toBe('PENDING');

        await mail.resume();
        expect((await mailFor(orderId)).to).toEqual(['bob@example.org']);
        await waitFor(
          'the notification to be SENT',
          async () => (await deliveryOf(orderId))?.status === 'SENT',
        );
      });
    });
  });

  describe('when the mail server stays down', () => {
    let closedPort = 0;
    beforeAll(async () => {
      closedPort = await freePort();
    });
    const running = runningService(() => ({
      NOTIFICATION_CHANNEL: 'smtp',
      NOTIFICATION_MAX_ATTEMPTS: '2',
      NOTIFICATION_RETRY_BASE_MS: '100',
      SMTP_URL: `smtp://127.0.0.1:${closedPort}`,
    }));

    it('marks the notification FAILED with the error after the last attempt', async () => {
      const orderId = randomUUID();
      await running.publish(
        OrderCancelled.v1({
          orderId,
          customerId: 'customer-carol',
          customerEmail: 'carol@example.org',
          reason: 'TIMEOUT',
        }),
      );

      const failed = await waitFor('the notification to fail', async () => {
        const [row] = await running.harness.query<DeliveryRow>(
          `SELECT status, attempts, last_error FROM notifications WHERE order_id = $1`,
          [orderId],
        );
        return row?.status === 'FAILED' && row;
      });
      expect(failed).toMatchObject({ attempts: 2, last_error: expect.stringMatching(/ECONNREFUSED/) });
    });
  });
});
