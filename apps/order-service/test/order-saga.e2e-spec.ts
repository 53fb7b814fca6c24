import {
  infrastructure,
  MailCatcher,
  Platform,
  sleep,
  startPlatform,
  uniqueSuffix,
  waitFor,
} from '@platform/testing';

/** The order saga end to end: all four services as separate processes on the real RabbitMQ and PostgreSQL. */
describe('the order saga across all four services', () => {
  let platform: Platform;
  let mail: MailCatcher;
  const run = uniqueSuffix();
  const sku = (name: string) => `${name}-${run}`;
  const customer = (name: string) => `${name}-${run}`;
  const stepTimeoutMs = 2500;

  beforeAll(async () => {
    mail = await MailCatcher.start();
    platform = await startPlatform({
      order: { SAGA_STEP_TIMEOUT_MS: String(stepTimeoutMs) },
      notification: { NOTIFICATION_CHANNEL: 'smtp', SMTP_URL: mail.url },
    });
    const { inventory, payment } = platform.http;
    for (const [name, price, stock] of [
      ['apple', 10.5, 100],
      ['pear', 3.25, 5],
      ['rare', 99, 1],
      ['hot', 1, 10],
      ['cheap', 0.1, 50],
    ] as const) {
      expect((await inventory.put(`/products/${sku(name)}`, { name, price, stock })).status).toBe(201);
    }
    for (const [name, credit] of [
      ['rich', 100000],
      ['poor', 5],
      ['crowd', 100000],
    ] as const) {
      expect((await payment.put(`/accounts/${customer(name)}`, { credit })).status).toBeLessThan(300);
    }
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    await mail?.stop();
  });

  const place = (customerId: string, items: Array<{ sku: string; quantity: number }>, key?: string) =>
    platform.http.order.post('/orders', { customerId, items }, key ? { 'Idempotency-Key': key } : {});
  const terminal = (id: string, timeoutMs = 20_000) =>
    waitFor(
      `order ${id} to end`,
      async () => {
        const { body } = await platform.http.order.get(`/orders/${id}`);
        return ['CONFIRMED', 'CANCELLED'].includes(body?.status) ? body : undefined;
      },
      timeoutMs,
    );
  const product = async (name: string) => (await platform.http.inventory.get(`/products/${sku(name)}`)).body;
  // Inventory settles a confirmed order's stock when OrderConfirmed reaches it, just after the order turns CONFIRMED.
  const settled = (name: string, available: number) =>
    waitFor(`${name} to show ${available} available and nothing reserved`, async () => {
      const current = await product(name);
      return current.available === available && current.reserved === 0 ? current : undefined;
    });
  const paymentsOf = async (orderId: string) =>
    (await platform.http.payment.get(`/payments?orderId=${orderId}`)).body;
  const notificationsOf = async (orderId: string) =>
    (await platform.http.notification.get(`/notifications?orderId=${orderId}`)).body;

  describe('when stock and credit suffice', () => {
    it('confirms the order, sells the stock, charges once and mails the customer', async () => {
      // Placed by the customer, whose token carries the address its identity provider verified.
      const address = `${customer('rich')}@example.org`;
      const placed = await platform.http.order
        .as({ customer: customer('rich'), email: address })
        .post('/orders', {
          items: [
            { sku: sku('apple'), quantity: 2 },
            { sku: sku('pear'), quantity: 1 },
          ],
        });
      expect(placed.status).toBe(202);
      expect(placed.headers.get('location')).toBe(`/orders/${placed.body.id}`);
      expect(placed.body.status).toBe('PENDING');

      const order = await terminal(placed.body.id);
      expect(order).toMatchObject({ status: 'CONFIRMED', cancellationReason: null, total: 24.25 });
      expect(order.items).toEqual([
        { sku: sku('apple'), quantity: 2, unitPrice: 10.5 },
        { sku: sku('pear'), quantity: 1, unitPrice: 3.25 },
      ]);
      expect(order.history.length).toBeGreaterThanOrEqual(2);
      await settled('apple', 98);
      expect(await paymentsOf(order.id)).toEqual([
        expect.objectContaining({ status: 'CAPTURED', amount: 24.25 }),
      ]);
      expect((await platform.http.payment.get(`/accounts/${customer('rich')}`)).body.credit).toBe(99975.75);
      const [notification] = await waitFor('the confirmation to be sent', async () => {
        const list = await notificationsOf(order.id);
        return list?.[0]?.status === 'SENT' ? list : undefined;
      });
      expect(notification).toMatchObject({ type: 'ORDER_CONFIRMED', channel: 'smtp' });
      const mails = mail.mails.filter((caught) => caught.text.includes(order.id.slice(0, 8)));
      expect(mails.map((caught) => caught.to)).toEqual([[address]]);
    });
  });

  describe('when a product is out of stock', () => {
    it('cancels with OUT_OF_STOCK, reserves nothing and charges nothing', async () => {
      const placed = await place(customer('rich'), [
        { sku: sku('apple'), quantity: 1 },
        { sku: sku('rare'), quantity: 2 },
      ]);
      const order = await terminal(placed.body.id);
      expect(order).toMatchObject({ status: 'CANCELLED', cancellationReason: 'OUT_OF_STOCK' });
      expect(await product('apple')).toMatchObject({ available: 98, reserved: 0 });
      expect(await product('rare')).toMatchObject({ available: 1, reserved: 0 });
      expect(await paymentsOf(order.id)).toEqual([]);
      await waitFor('the cancellation notice', async () =>
        (await notificationsOf(order.id))?.find((n: { type: string }) => n.type === 'ORDER_CANCELLED'),
      );
    });
  });

  describe('when a product is unknown', () => {
    it('cancels with UNKNOWN_PRODUCT', async () => {
      const placed = await place(customer('rich'), [{ sku: sku('ghost'), quantity: 1 }]);
      expect(await terminal(placed.body.id)).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'UNKNOWN_PRODUCT',
      });
    });
  });

  describe('when payment is declined', () => {
    it('releases the reservation and cancels the order', async () => {
      const placed = await place(customer('poor'), [{ sku: sku('apple'), quantity: 1 }]);
      const order = await terminal(placed.body.id);
      expect(order).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'PAYMENT_DECLINED',
        total: 10.5,
      });
      await waitFor('the stock to be released', async () => {
        const apple = await product('apple');
        return apple.available === 98 && apple.reserved === 0;
      });
      expect(await paymentsOf(order.id)).toEqual([expect.objectContaining({ status: 'DECLINED' })]);
      expect((await platform.http.payment.get(`/accounts/${customer('poor')}`)).body.credit).toBe(5);
    });
  });

  describe('when the payment service is down past the step timeout', () => {
    it('cancels with TIMEOUT, releases the stock, and never charges when payment comes back', async () => {
      await platform.services.payment.stop();
      const placed = await place(customer('rich'), [{ sku: sku('cheap'), quantity: 3 }]);
      const order = await terminal(placed.body.id, stepTimeoutMs * 4 + 10_000);
      expect(order).toMatchObject({ status: 'CANCELLED', cancellationReason: 'TIMEOUT' });
      await waitFor('the stock to be released', async () => {
        const cheap = await product('cheap');
        return cheap.available === 50 && cheap.reserved === 0;
      });
      const creditBefore = 99975.75;
      await platform.restart('payment');
      const payments = await waitFor('payment to answer the stale charge', async () => {
        const list = await paymentsOf(order.id);
        return list?.length ? list : undefined;
      });
      expect(payments).toEqual([expect.objectContaining({ status: 'DECLINED' })]);
      expect((await platform.http.payment.get(`/accounts/${customer('rich')}`)).body.credit).toBe(
        creditBefore,
      );
      expect((await platform.http.order.get(`/orders/${order.id}`)).body.status).toBe('CANCELLED');
    }, 60_000);
  });

  describe('when RabbitMQ is away for longer than a step timeout while orders are accepted', () => {
    it('confirms them once it is back: a step waits from when its command was published', async () => {
      infrastructure.stopRabbitmq();
      const placed: Array<{ status: number; body: { id: string } }> = [];
      try {
        for (let index = 0; index < 3; index += 1) {
          placed.push(await place(customer('rich'), [{ sku: sku('apple'), quantity: 1 }]));
        }
        await sleep(stepTimeoutMs * 2);
      } finally {
        infrastructure.startRabbitmq();
      }
      expect(placed.map((answer) => answer.status)).toEqual([202, 202, 202]);
      const orders = await Promise.all(placed.map((answer) => terminal(answer.body.id, 60_000)));
      expect(orders.map((order) => order.status)).toEqual(['CONFIRMED', 'CONFIRMED', 'CONFIRMED']);
    }, 120_000);
  });

  describe('when 30 customers order the last 10 units at once', () => {
    it('confirms exactly 10 and never sells stock it does not have', async () => {
      const placed = await Promise.all(
        Array.from({ length: 30 }, () => place(customer('crowd'), [{ sku: sku('hot'), quantity: 1 }])),
      );
      expect(placed.every((answer) => answer.status === 202)).toBe(true);
      const orders = await Promise.all(placed.map((answer) => terminal(answer.body.id, 40_000)));
      const confirmed = orders.filter((order) => order.status === 'CONFIRMED');
      expect(confirmed).toHaveLength(10);
      expect(
        orders
          .filter((order) => order.status === 'CANCELLED')
          .every((order) => order.cancellationReason === 'OUT_OF_STOCK'),
      ).toBe(true);
      await settled('hot', 0);
    }, 60_000);
  });

  describe('when the same Idempotency-Key arrives concurrently', () => {
    it('creates one order and answers every copy with it', async () => {
      const key = `key-${run}`;
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => place(customer('rich'), [{ sku: sku('apple'), quantity: 1 }], key)),
      );
      expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(202));
      expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
      const list = await platform.http.order.get(`/orders?customerId=${customer('rich')}&limit=100`);
      expect(list.body.items.filter((order: { id: string }) => order.id === answers[0].body.id)).toHaveLength(
        1,
      );
      const changed = await place(customer('rich'), [{ sku: sku('apple'), quantity: 2 }], key);
      expect(changed.status).toBe(422);
    });
  });

  describe('when a request is malformed', () => {
    it.each([
      ['empty items', { customerId: 'c', items: [] }],
      ['a zero quantity', { customerId: 'c', items: [{ sku: 'a', quantity: 0 }] }],
      ['a missing customerId', { items: [{ sku: 'a', quantity: 1 }] }],
      [
        '101 lines',
        { customerId: 'c', items: Array.from({ length: 101 }, (_, i) => ({ sku: `s${i}`, quantity: 1 })) },
      ],
      ['broken JSON', '{"customerId": "c", "items": ['],
    ])('answers 400 for %s and stays ready', async (_, body) => {
      const answer = await platform.http.order.post('/orders', body);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toBeTruthy();
      expect((await platform.http.order.get('/health/ready')).status).toBe(200);
    });

    it('answers 413 for a body over 1 MiB and 404 for an unknown order', async () => {
      const huge = { customerId: 'c', items: [{ sku: 'x'.repeat(1024 * 1024 + 10), quantity: 1 }] };
      expect((await platform.http.order.post('/orders', huge)).status).toBe(413);
      expect((await platform.http.order.get('/orders/00000000-0000-4000-8000-000000000000')).status).toBe(
        404,
      );
    });
  });
});
