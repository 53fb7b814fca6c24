import { randomUUID } from 'node:crypto';
import { PaymentCaptured, PaymentDeclined } from '@platform/contracts';
import { uniqueSuffix, waitFor } from '@platform/testing';
import { bodyOf, ChargeOptions, PaymentServiceHarness } from './payment-service-harness';

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

  /** What a charge was sent as, and what its version's meaning demands of payment. */
  interface Scenario {
    name: string;
    body: Record<string, unknown>;
    options: ChargeOptions;
    outcome: 'CAPTURED' | 'EXPIRED';
  }
  const scenarios: Scenario[] = [
    {
      name: 'v1 with validForMs, published within it though asked for long before',
      body: { expiresAt: aMinuteAgo, validForMs: 2 * minute },
      options: { version: 1, publishedAt: now },
      outcome: 'CAPTURED',
    },
    {
      name: 'v1 with validForMs, published longer ago than that, though its expiresAt is to come',
      body: { expiresAt: inAMinute, validForMs: 1000 },
      options: { version: 1, publishedAt: now - 5000 },
      outcome: 'EXPIRED',
    },
    {
      name: 'v1 with validForMs but no publish time, past its expiresAt',
      body: { expiresAt: aMinuteAgo, validForMs: 2 * minute },
      options: { version: 1 },
      outcome: 'EXPIRED',
    },
    {
      name: 'v1 with only expiresAt, to come',
      body: { expiresAt: inAMinute },
      options: { version: 1 },
      outcome: 'CAPTURED',
    },
    {
      name: 'v1 with only expiresAt, passed, published with a time',
      body: { expiresAt: aMinuteAgo },
      options: { version: 1, publishedAt: now - 2 * minute },
      outcome: 'EXPIRED',
    },
    {
      name: 'v2 published within its validity',
      body: { validForMs: 2 * minute },
      options: { version: 2, publishedAt: now },
      outcome: 'CAPTURED',
    },
    {
      name: 'v2 published longer ago than its validity',
      body: { validForMs: 1000 },
      options: { version: 2, publishedAt: now - 5000 },
      outcome: 'EXPIRED',
    },
  ];
  const versionOneCount = scenarios.filter(({ options }) => options.version === 1).length;

  let harness: PaymentServiceHarness;
  const sent = scenarios.map((scenario) => ({
    ...scenario,
    orderId: randomUUID(),
    customerId: `customer-${uniqueSuffix()}`,
    messageId: randomUUID(),
  }));

  beforeAll(async () => {
    harness = await PaymentServiceHarness.start({ PAYMENT_DEFAULT_CREDIT: '100' });
    await harness.stopService();
    // Each one twice with its message id, as a broker redelivers a command whose ack was lost.
    for (const { orderId, customerId, messageId, body, options } of [...sent, ...sent]) {
      await harness.charge({ orderId, customerId, amount: 10, ...body }, { ...options, messageId });
    }
    expect(await harness.waitingCommands()).toBe(2 * sent.length);
    await harness.startService();
    await waitFor('every charge to be answered', () =>
      sent.every(({ orderId }) => harness.outcomesOf(orderId).length > 0),
    );
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it.each(sent)('when sent as $name, answers $outcome', async ({ orderId, customerId, outcome }) => {
    const [answer] = harness.outcomesOf(orderId);
    if (outcome === 'CAPTURED') {
      expect(answer.properties.type).toBe(PaymentCaptured.type);
      expect(await harness.paymentsOf(orderId)).toEqual([{ status: 'CAPTURED', reason: null }]);
      expect(await harness.creditOf(customerId)).toBe(90);
    } else {
      expect(answer.properties.type).toBe(PaymentDeclined.type);
      expect(bodyOf(answer)).toEqual({ orderId, reason: 'EXPIRED' });
      expect(await harness.paymentsOf(orderId)).toEqual([{ status: 'DECLINED', reason: 'EXPIRED' }]);
      expect(await harness.creditOf(customerId)).toBe(100);
    }
  });

  it('handles each command once, skipping its second delivery, of either version', async () => {
    const consumed = (outcome: string) => harness.metric('messages_consumed_total', `outcome="${outcome}"`);
    const decoded = (version: number) => harness.metric('messages_decoded_total', `version="${version}"`);
    await waitFor(
      'every second delivery to be skipped',
      async () => (await consumed('duplicate')) === sent.length,
    );
    expect(await consumed('handled')).toBe(sent.length);
    expect(await decoded(1)).toBe(2 * versionOneCount);
    expect(await decoded(2)).toBe(2 * (sent.length - versionOneCount));
    for (const { orderId } of sent) expect(harness.outcomesOf(orderId)).toHaveLength(1);
    expect(await harness.waitingCommands()).toBe(0);
  });
});
