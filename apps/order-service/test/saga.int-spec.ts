import { randomUUID } from 'node:crypto';
import {
  ChargePayment,
  OrderCancelled,
  OrderConfirmed,
  PaymentCaptured,
  PaymentDeclined,
  RefundPayment,
  ReleaseStock,
  ReserveStock,
  StockReservationRejected,
  StockReserved,
} from '@platform/contracts';
import { Client } from 'pg';
import { databaseUrl, ServiceHarness, sleep, waitFor } from '@platform/testing';
import { aboutOrder, orderApi, sentAbout } from './order-api';

/** Short, so timeouts happen within a test; replies in the other tests come within milliseconds. */
const STEP_TIMEOUT_MS = 1500;
/** How long to keep watching for a message that must not come. */
const QUIET_MS = 700;

describe('the order saga', () => {
  let harness: ServiceHarness;
  let orders: ReturnType<typeof orderApi>;

  beforeAll(async () => {
    harness = await ServiceHarness.start('order', {
      env: {
        SAGA_STEP_TIMEOUT_MS: String(STEP_TIMEOUT_MS),
        MESSAGING_MAX_ATTEMPTS: '2',
        // Any exporter turns tracing on, so messages carry `traceparent`; the console one needs no collector.
        OTEL_TRACES_EXPORTER: 'console',
      },
    });
    orders = orderApi(harness);
  });
  afterAll(async () => {
    await harness?.stop();
  });

  /** Publishes a reply the way inventory's or payment's outbox would; returns its message id. */
  const reply = (message: object, messageId?: string) => harness.publish(message, { messageId });
  const customerId = () => `customer-${randomUUID()}`;
  const items = [
    { sku: 'apple', quantity: 2 },
    { sku: 'pear', quantity: 1 },
  ];
  /** Prices that drift in floating point (0.1 + 0.2); the total must still be exactly 0.3. */
  const reservation = (orderId: string) =>
    StockReserved.v1({
      orderId,
      lines: [
        { sku: 'apple', quantity: 2, unitPrice: 0.1 },
        { sku: 'pear', quantity: 1, unitPrice: 0.1 },
      ],
      total: 0.3,
    });
  const capture = (orderId: string, customer: string) =>
    PaymentCaptured.v1({ orderId, customerId: customer, paymentId: randomUUID(), amount: 0.3 });

  /** Places an order and lets inventory reserve its stock; resolves once payment is asked for. */
  async function placeAndReserve(customer: string) {
    const orderId = await orders.place(customer, items);
    await harness.waitForSentMessage(ReserveStock, aboutOrder(orderId));
    await reply(reservation(orderId));
    const charge = await harness.waitForSentMessage(ChargePayment, aboutOrder(orderId));
    return { orderId, charge };
  }

  const sagaCount = async (outcome: string) => {
    const metrics = (await harness.http.get('/metrics')).text;
    const line = metrics
      .split('\n')
      .find((row) => row.startsWith(`saga_duration_seconds_count{outcome="${outcome}"}`));
    return Number(line?.split(' ')[1]);
  };

  describe('when inventory reserves the stock and payment captures the total', () => {
    it('confirms the order with its prices, total and history, and announces it', async () => {
      const confirmedBefore = await sagaCount('confirmed');
      const customer = customerId();
      const orderId = await orders.place(customer, items);

      const reserve = await harness.waitForSentMessage(ReserveStock, aboutOrder(orderId));
      expect(reserve.payload).toEqual({ orderId, lines: items });
      await reply(reservation(orderId));

      const charge = await harness.waitForSentMessage(ChargePayment, aboutOrder(orderId));
      expect(charge.schemaVersion).toBe(2);
      expect(charge.payload).toEqual({
        orderId,
        customerId: customer,
        amount: 0.3,
        validForMs: STEP_TIMEOUT_MS,
      });
      await reply(capture(orderId, customer));

      const order = await orders.waitForStatus(orderId, 'CONFIRMED');
      expect(order).toMatchObject({
        id: orderId,
        customerId: customer,
        cancellationReason: null,
        items: [
          { sku: 'apple', quantity: 2, unitPrice: 0.1 },
          { sku: 'pear', quantity: 1, unitPrice: 0.1 },
        ],
        total: 0.3,
      });
      expect(order.history.map(({ at: _, ...entry }: { at: string }) => entry)).toEqual([
        { status: 'PENDING' },
        { step: 'STOCK_RESERVED' },
        { step: 'PAYMENT_CAPTURED' },
        { status: 'CONFIRMED' },
      ]);
      const confirmed = await harness.waitForSentMessage(OrderConfirmed, aboutOrder(orderId));
      expect(confirmed.payload).toEqual({
        orderId,
        customerId: customer,
        lines: [
          { sku: 'apple', quantity: 2, unitPrice: 0.1 },
          { sku: 'pear', quantity: 1, unitPrice: 0.1 },
        ],
        total: 0.3,
      });
      await waitFor(
        'the confirmed saga to be timed',
        async () => (await sagaCount('confirmed')) > confirmedBefore,
      );
    });
  });

  describe('when inventory is out of stock', () => {
    it('cancels the order with OUT_OF_STOCK and never asks for payment', async () => {
      const customer = customerId();
      const orderId = await orders.place(customer, items);
      await harness.waitForSentMessage(ReserveStock, aboutOrder(orderId));
      await reply(StockReservationRejected.v1({ orderId, reason: 'OUT_OF_STOCK', skus: ['apple'] }));

      const order = await orders.waitForStatus(orderId, 'CANCELLED');
      expect(order.cancellationReason).toBe('OUT_OF_STOCK');
      expect(order.total).toBeNull();
      const cancelled = await harness.waitForSentMessage(OrderCancelled, aboutOrder(orderId));
      expect(cancelled.payload).toEqual({ orderId, customerId: customer, reason: 'OUT_OF_STOCK' });
      await harness.expectNothingSent(ChargePayment, aboutOrder(orderId), QUIET_MS);
      await harness.expectNothingSent(ReleaseStock, aboutOrder(orderId), 0);
    });
  });

  describe('when payment is declined', () => {
    it('releases the reservation and cancels the order with PAYMENT_DECLINED', async () => {
      const customer = customerId();
      const { orderId } = await placeAndReserve(customer);
      await reply(PaymentDeclined.v1({ orderId, reason: 'INSUFFICIENT_CREDIT' }));

      const order = await orders.waitForStatus(orderId, 'CANCELLED');
      expect(order.cancellationReason).toBe('PAYMENT_DECLINED');
      expect((await harness.waitForSentMessage(ReleaseStock, aboutOrder(orderId))).payload).toEqual({
        orderId,
      });
      expect((await harness.waitForSentMessage(OrderCancelled, aboutOrder(orderId))).payload).toEqual({
        orderId,
        customerId: customer,
        reason: 'PAYMENT_DECLINED',
      });
      await harness.expectNothingSent(OrderConfirmed, aboutOrder(orderId), QUIET_MS);
    });
  });

  describe('when inventory does not answer in time', () => {
    it("cancels with TIMEOUT in the order's trace, releases the stock, and again when the reservation comes late", async () => {
      const orderId = await orders.place(customerId(), items);
      const reserve = await harness.waitForSentMessage(ReserveStock, aboutOrder(orderId));

      const order = await orders.waitForStatus(orderId, 'CANCELLED');
      expect(order.cancellationReason).toBe('TIMEOUT');
      const release = await harness.waitForSentMessage(ReleaseStock, aboutOrder(orderId));
      const cancelled = await harness.waitForSentMessage(OrderCancelled, aboutOrder(orderId));
      expect(cancelled.payload).toMatchObject({ reason: 'TIMEOUT' });
      expect(reserve.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect([release.traceId, cancelled.traceId]).toEqual([reserve.traceId, reserve.traceId]);

      await reply(reservation(orderId));
      const released = await waitFor(`a second ReleaseStock for order ${orderId}`, () =>
        sentAbout(harness, orderId, ReleaseStock).at(1),
      );
      expect(released.payload).toEqual({ orderId });
      await harness.expectNothingSent(ChargePayment, aboutOrder(orderId), QUIET_MS);
      expect(await orders.order(orderId)).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'TIMEOUT',
      });
    });
  });

  describe('when no timeout watcher can end an overdue order', () => {
    it('counts it in saga_overdue_orders once 10 s late, and no longer once it is cancelled', async () => {
      const overdue = () => harness.metric('saga_overdue_orders');
      const orderId = await orders.place(customerId(), items);
      await harness.waitForSentMessage(ReserveStock, aboutOrder(orderId));
      await waitFor('the step clock to start', async () => {
        const [row] = await harness.query<{ deadline: Date | null }>(
          'SELECT step_deadline AS deadline FROM orders WHERE id = $1',
          [orderId],
        );
        return row?.deadline !== null;
      });
      // The watcher skips rows another transaction holds, as it would skip a stuck replica's.
      const holder = new Client({ connectionString: databaseUrl(harness.database) });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT id FROM orders WHERE id = $1 FOR UPDATE', [orderId]);
        expect(await overdue()).toBe(0);
        await waitFor('the order to count as overdue', async () => (await overdue()) === 1, 20_000);
        expect((await orders.order(orderId)).status).toBe('PENDING');
      } finally {
        await holder.query('ROLLBACK');
        await holder.end();
      }
      await orders.waitForStatus(orderId, 'CANCELLED');
      expect(await overdue()).toBe(0);
    }, 40_000);
  });

  describe('when payment does not answer in time', () => {
    it('cancels with TIMEOUT, and refunds a capture that comes late instead of confirming', async () => {
      const customer = customerId();
      const { orderId } = await placeAndReserve(customer);

      const order = await orders.waitForStatus(orderId, 'CANCELLED');
      expect(order.cancellationReason).toBe('TIMEOUT');
      await harness.waitForSentMessage(ReleaseStock, aboutOrder(orderId));
      await harness.waitForSentMessage(OrderCancelled, aboutOrder(orderId));

      await reply(capture(orderId, customer));
      expect((await harness.waitForSentMessage(RefundPayment, aboutOrder(orderId))).payload).toEqual({
        orderId,
      });
      await harness.expectNothingSent(OrderConfirmed, aboutOrder(orderId), QUIET_MS);
      expect(await orders.order(orderId)).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'TIMEOUT',
      });
    });
  });

  describe('when replies come twice', () => {
    it('changes nothing and sends nothing more, whether redelivered or sent again', async () => {
      const customer = customerId();
      const { orderId } = await placeAndReserve(customer);
      const captureId = await reply(capture(orderId, customer));
      await orders.waitForStatus(orderId, 'CONFIRMED');
      await harness.waitForSentMessage(OrderConfirmed, aboutOrder(orderId));
      const before = await orders.order(orderId);
      const sentBefore = sentAbout(harness, orderId).length;

      await reply(capture(orderId, customer), captureId);
      await reply(capture(orderId, customer));
      await reply(reservation(orderId));
      await reply(PaymentDeclined.v1({ orderId, reason: 'EXPIRED' }));
      await reply(StockReservationRejected.v1({ orderId, reason: 'OUT_OF_STOCK', skus: ['apple'] }));
      await sleep(QUIET_MS + STEP_TIMEOUT_MS);

      expect(await orders.order(orderId)).toEqual(before);
      expect(sentAbout(harness, orderId)).toHaveLength(sentBefore);
    });
  });

  describe('when several replicas watch the same step deadlines', () => {
    it('cancels each overdue order once, with one release and one cancellation', async () => {
      const replica = await harness.startReplica();
      try {
        const orderIds = await Promise.all(
          Array.from({ length: 20 }, () => orders.place(customerId(), items)),
        );
        for (const orderId of orderIds) await orders.waitForStatus(orderId, 'CANCELLED');
        await sleep(QUIET_MS);

        for (const orderId of orderIds) {
          expect(sentAbout(harness, orderId, ReleaseStock)).toHaveLength(1);
          expect(sentAbout(harness, orderId, OrderCancelled)).toHaveLength(1);
        }
      } finally {
        await replica.stop();
      }
    });
  });

  describe('when a reply is about an order this service never placed', () => {
    it('parks it in the dead-letter queue and goes on', async () => {
      const orderId = randomUUID();
      const messageId = await reply(reservation(orderId));

      const parked = await harness.waitForDeadLetter(messageId);
      expect(parked.properties.headers?.['x-error']).toContain(orderId);
      expect((await harness.http.get('/health/ready')).status).toBe(200);
    });
  });
});
