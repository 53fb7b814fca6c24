import { randomUUID } from 'node:crypto';
import { ChargePayment, PaymentCaptured, PaymentDeclined, schemaVersionOf } from '@platform/contracts';
import { BrokerProbe, ServiceHarness, uniqueSuffix } from '@platform/testing';

/**
 * An upgrade while ChargePayment moves from version 1 to 2: commands a version 1 producer sent wait in the
 * queue while payment-service is down, and the new payment-service, which reads both versions, handles each
 * once, charging or declining as version 1 meant.
 */
describe('payment-service taking over ChargePayment version 1 commands left in its queue', () => {
  const minute = 60_000;
  const now = Date.now();
  const inAMinute = new Date(now + minute).toISOString();
  const aMinuteAgo = new Date(now - minute).toISOString();

  type Ids = { orderId: string; customerId: string };
  /** A charge as it was sent (its payload and version, `x-published-at` if any), and what that meant. */
  interface Scenario {
    name: string;
    command: (ids: Ids) => object;
    publishedAt?: number;
    outcome: 'CAPTURED' | 'EXPIRED';
  }
  const v1 = (fields: { expiresAt: string; validForMs?: number }) => (ids: Ids) =>
    ChargePayment.v1({ ...ids, amount: 10, ...fields });
  const v2 = (validForMs: number) => (ids: Ids) => ChargePayment.v2({ ...ids, amount: 10, validForMs });
  const scenarios: Scenario[] = [
    {
      name: 'v1 with validForMs, published within it though asked for long before',
      command: v1({ expiresAt: aMinuteAgo, validForMs: 2 * minute }),
      publishedAt: now,
      outcome: 'CAPTURED',
    },
    {
      name: 'v1 with validForMs, published longer ago than that, though its expiresAt is to come',
      command: v1({ expiresAt: inAMinute, validForMs: 1000 }),
      publishedAt: now - 5000,
      outcome: 'EXPIRED',
    },
    {
      name: 'v1 with validForMs but no publish time, past its expiresAt',
      command: v1({ expiresAt: aMinuteAgo, validForMs: 2 * minute }),
      outcome: 'EXPIRED',
    },
    {
      name: 'v1 with only expiresAt, to come',
      command: v1({ expiresAt: inAMinute }),
      outcome: 'CAPTURED',
    },
    {
      name: 'v1 with only expiresAt, passed, published with a time',
      command: v1({ expiresAt: aMinuteAgo }),
      publishedAt: now - 2 * minute,
      outcome: 'EXPIRED',
    },
    {
      name: 'v2 published within its validity',
      command: v2(2 * minute),
      publishedAt: now,
      outcome: 'CAPTURED',
    },
    {
      name: 'v2 published longer ago than its validity',
      command: v2(1000),
      publishedAt: now - 5000,
      outcome: 'EXPIRED',
    },
  ];

  let harness: ServiceHarness;
  const sent = scenarios.map(({ command, ...scenario }) => {
    const ids = { orderId: randomUUID(), customerId: `customer-${uniqueSuffix()}` };
    return { ...scenario, ...ids, command: command(ids), messageId: randomUUID() };
  });
  const versionOneCount = sent.filter(({ command }) => schemaVersionOf(command) === 1).length;

  beforeAll(async () => {
    harness = await ServiceHarness.start('payment', { env: { PAYMENT_DEFAULT_CREDIT: '100' } });
    await harness.service.stop();
    // Each one twice with its message id, as a broker redelivers a command whose ack was lost.
    for (const { command, messageId, publishedAt } of [...sent, ...sent]) {
      // No publish time at all: a sender that does not say, as a version 1 producer might not have.
      const publishTime =
        publishedAt === undefined ? { headers: { 'x-published-at': undefined } } : { publishedAt };
      await harness.publish(command, { messageId, ...publishTime });
    }
    const probe = await BrokerProbe.open();
    try {
      expect(await probe.messageCount('payment.commands')).toBe(2 * sent.length);
    } finally {
      await probe.close();
    }
    await harness.restart();
    await harness.settled(30_000);
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const outcomesOf = (orderId: string) =>
    harness.sent().filter((message) => message.correlationId === orderId);
  const creditOf = async (customerId: string) =>
    (await harness.http.get(`/accounts/${customerId}`)).body.credit;
  const paymentsOf = (orderId: string) =>
    harness.query<{ status: string; reason: string | null }>(
      'SELECT status, reason FROM payments WHERE order_id = $1',
      [orderId],
    );

  it.each(sent)('when sent as $name, answers $outcome', async ({ orderId, customerId, outcome }) => {
    const [answer] = outcomesOf(orderId);
    if (outcome === 'CAPTURED') {
      expect(answer.type).toBe(PaymentCaptured.type);
      expect(await paymentsOf(orderId)).toEqual([{ status: 'CAPTURED', reason: null }]);
      expect(await creditOf(customerId)).toBe(90);
    } else {
      expect(answer.type).toBe(PaymentDeclined.type);
      expect(answer.payload).toEqual({ orderId, reason: 'EXPIRED' });
      expect(await paymentsOf(orderId)).toEqual([{ status: 'DECLINED', reason: 'EXPIRED' }]);
      expect(await creditOf(customerId)).toBe(100);
    }
  });

  it('handles each command once, skipping its second delivery, of either version', async () => {
    const consumed = (outcome: string) => harness.metric('messages_consumed_total', { outcome });
    const decoded = (version: number) =>
      harness.metric('messages_decoded_total', { version: String(version) });
    expect(await consumed('handled')).toBe(sent.length);
    expect(await consumed('duplicate')).toBe(sent.length);
    expect(await decoded(1)).toBe(2 * versionOneCount);
    expect(await decoded(2)).toBe(2 * (sent.length - versionOneCount));
    for (const { orderId } of sent) expect(outcomesOf(orderId)).toHaveLength(1);
    expect(harness.deadLettered()).toEqual([]);
  });
});
