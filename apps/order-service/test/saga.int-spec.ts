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
import { sleep, waitFor } from '@platform/testing';
import { OrderServiceHarness } from './order-service-harness';

/** Short, so timeouts happen within a test; replies in the other tests come within milliseconds. */
const STEP_TIMEOUT_MS = 1500;
/** How long to keep watching for a message that must not come. */
const QUIET_MS = 700;

describe('the order saga', () => {
  let harness: OrderServiceHarness;

  beforeAll(async () => {
    harness = await OrderServiceHarness.start({
      SAGA_STEP_TIMEOUT_MS: String(STEP_TIMEOUT_MS),
      MESSAGING_MAX_ATTEMPTS: '2',
      // Any exporter turns tracing on, so messages carry `traceparent`; the console one needs no collector.
      OTEL_TRACES_EXPORTER: 'console',
    });
  });
  afterAll(async () => {
    await harness?.stop();
  });

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
    const orderId = await harness.place(customer, items);
    await harness.waitForSent(orderId, ReserveStock);
    await harness.reply(reservation(orderId));
    const charge = await harness.waitForSent(orderId, ChargePayment);
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
      const orderId = await harness.place(customer, items);

      const reserve = await harness.waitForSent(orderId, ReserveStock);
      expect(reserve.body).toEqual({ orderId, lines: items });
      await harness.reply(reservation(orderId));

      const charge = await harness.waitForSent(orderId, ChargePayment);
      expect(charge.schemaVersion).toBe(2);
      expect(charge.body).toEqual({
        orderId,
        customerId: customer,
        amount: 0.3,
        validForMs: STEP_TIMEOUT_MS,
      });
      await harness.reply(capture(orderId, customer));

      const order = await harness.waitForStatus(orderId, 'CONFIRMED');
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
      const confirmed = await harness.waitForSent(orderId, OrderConfirmed);
      expect(confirmed.body).toEqual({
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
      const orderId = await harness.place(customer, items);
      await harness.waitForSent(orderId, ReserveStock);
      await harness.reply(StockReservationRejected.v1({ orderId, reason: 'OUT_OF_STOCK', skus: ['apple'] }));

      const order = await harness.waitForStatus(orderId, 'CANCELLED');
      expect(order.cancellationReason).toBe('OUT_OF_STOCK');
      expect(order.total).toBeNull();
      const cancelled = await harness.waitForSent(orderId, OrderCancelled);
      expect(cancelled.body).toEqual({ orderId, customerId: customer, reason: 'OUT_OF_STOCK' });
      await sleep(QUIET_MS);
      expect(harness.sent(orderId, ChargePayment)).toEqual([]);
      expect(harness.sent(orderId, ReleaseStock)).toEqual([]);
    });
  });

  describe('when payment is declined', () => {
    it('releases the reservation and cancels the order with PAYMENT_DECLINED', async () => {
      const customer = customerId();
      const { orderId } = await placeAndReserve(customer);
      await harness.reply(PaymentDeclined.v1({ orderId, reason: 'INSUFFICIENT_CREDIT' }));

      const order = await harness.waitForStatus(orderId, 'CANCELLED');
      expect(order.cancellationReason).toBe('PAYMENT_DECLINED');
      expect((await harness.waitForSent(orderId, ReleaseStock)).body).toEqual({ orderId });
      expect((await harness.waitForSent(orderId, OrderCancelled)).body).toEqual({
        orderId,
        customerId: customer,
        reason: 'PAYMENT_DECLINED',
      });
      await sleep(QUIET_MS);
      expect(harness.sent(orderId, OrderConfirmed)).toEqual([]);
    });
  });

  describe('when inventory does not answer in time', () => {
    it("cancels with TIMEOUT in the order's trace, releases the stock, and again when the reservation comes late", async () => {
      const orderId = await harness.place(customerId(), items);
      const reserve = await harness.waitForSent(orderId, ReserveStock);

      const order = await harness.waitForStatus(orderId, 'CANCELLED');
      expect(order.cancellationReason).toBe('TIMEOUT');
      const release = await harness.waitForSent(orderId, ReleaseStock);
      const cancelled = await harness.waitForSent(orderId, OrderCancelled);
      expect(cancelled.body).toMatchObject({ reason: 'TIMEOUT' });
      expect(reserve.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect([release.traceId, cancelled.traceId]).toEqual([reserve.traceId, reserve.traceId]);

      await harness.reply(reservation(orderId));
      expect((await harness.waitForSent(orderId, ReleaseStock, 2)).body).toEqual({ orderId });
      await sleep(QUIET_MS);
      expect(harness.sent(orderId, ChargePayment)).toEqual([]);
      expect(await harness.order(orderId)).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'TIMEOUT',
      });
    });
  });

  describe('when payment does not answer in time', () => {
    it('cancels with TIMEOUT, and refunds a capture that comes late instead of confirming', async () => {
      const customer = customerId();
      const { orderId } = await placeAndReserve(customer);

      const order = await harness.waitForStatus(orderId, 'CANCELLED');
      expect(order.cancellationReason).toBe('TIMEOUT');
      await harness.waitForSent(orderId, ReleaseStock);
      await harness.waitForSent(orderId, OrderCancelled);

      await harness.reply(capture(orderId, customer));
      expect((await harness.waitForSent(orderId, RefundPayment)).body).toEqual({ orderId });
      await sleep(QUIET_MS);
      expect(harness.sent(orderId, OrderConfirmed)).toEqual([]);
      expect(await harness.order(orderId)).toMatchObject({
        status: 'CANCELLED',
        cancellationReason: 'TIMEOUT',
      });
    });
  });

  describe('when replies come twice', () => {
    it('changes nothing and sends nothing more, whether redelivered or sent again', async () => {
      const customer = customerId();
      const { orderId } = await placeAndReserve(customer);
      const captureId = await harness.reply(capture(orderId, customer));
      await harness.waitForStatus(orderId, 'CONFIRMED');
      await harness.waitForSent(orderId, OrderConfirmed);
      const before = await harness.order(orderId);
      const sentBefore = harness.sent(orderId).length;

      await harness.reply(capture(orderId, customer), captureId);
      await harness.reply(capture(orderId, customer));
      await harness.reply(reservation(orderId));
      await harness.reply(PaymentDeclined.v1({ orderId, reason: 'EXPIRED' }));
      await harness.reply(StockReservationRejected.v1({ orderId, reason: 'OUT_OF_STOCK', skus: ['apple'] }));
      await sleep(QUIET_MS + STEP_TIMEOUT_MS);

      expect(await harness.order(orderId)).toEqual(before);
      expect(harness.sent(orderId)).toHaveLength(sentBefore);
    });
  });

  describe('when several replicas watch the same step deadlines', () => {
    it('cancels each overdue order once, with one release and one cancellation', async () => {
      const replica = await harness.startReplica();
      try {
        const orderIds = await Promise.all(
          Array.from({ length: 20 }, () => harness.place(customerId(), items)),
        );
        for (const orderId of orderIds) await harness.waitForStatus(orderId, 'CANCELLED');
        await sleep(QUIET_MS);

        for (const orderId of orderIds) {
          expect(harness.sent(orderId, ReleaseStock)).toHaveLength(1);
          expect(harness.sent(orderId, OrderCancelled)).toHaveLength(1);
        }
      } finally {
        await replica.stop();
      }
    });
  });

  describe('when a reply is about an order this service never placed', () => {
    it('parks it in the dead-letter queue and goes on', async () => {
      const orderId = randomUUID();
      const messageId = await harness.reply(reservation(orderId));

      const parked = await waitFor('the reply to be parked', async () =>
        (await harness.probe.drain('order.dlq')).find(
          (message) => message.properties.messageId === messageId,
        ),
      );
      expect(parked.properties.headers?.['x-error']).toContain(orderId);
      expect((await harness.http.get('/health/ready')).status).toBe(200);
    });
  });
});
