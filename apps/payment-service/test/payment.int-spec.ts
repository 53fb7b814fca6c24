import { randomUUID } from 'node:crypto';
import { ChargePayment, PaymentCaptured, PaymentDeclined, RefundPayment } from '@platform/contracts';
import {
  HarnessPublishOptions,
  HttpClient,
  SentMessage,
  ServiceHarness,
  uniqueSuffix,
  waitFor,
} from '@platform/testing';

describe('payment-service', () => {
  let harness: ServiceHarness;
  let http: HttpClient;

  beforeAll(async () => {
    harness = await ServiceHarness.start('payment', { env: { PAYMENT_DEFAULT_CREDIT: '1000' } });
    http = harness.http;
  });

  afterAll(async () => {
    await harness?.stop();
  });

  const newCustomer = () => `customer-${uniqueSuffix()}`;

  /** A ChargePayment as order sends it (version 2), valid for a minute unless it says otherwise. */
  function charge(
    payload: { orderId: string; customerId: string; amount: number; validForMs?: number },
    options: HarnessPublishOptions = {},
  ): Promise<string> {
    return harness.publish(ChargePayment.v2({ validForMs: 60_000, ...payload }), options);
  }

  function refund(orderId: string): Promise<string> {
    return harness.publish(RefundPayment.v1({ orderId }));
  }

  const outcomesOf = (orderId: string) =>
    harness.sent().filter((message) => message.correlationId === orderId);
  const bodyOf = (message: SentMessage) => message.payload;
  const outcomeOf = (orderId: string) =>
    waitFor(`the outcome of order ${orderId}`, () => outcomesOf(orderId)[0]);
  const creditOf = async (customerId: string) => (await http.get(`/accounts/${customerId}`)).body.credit;
  /** How many redelivered messages the consumer acknowledged without handling them again. */
  const duplicatesSkipped = () => harness.metric('messages_consumed_total', { outcome: 'duplicate' });
  const paymentsOf = (orderId: string) =>
    harness.query<{ status: string; reason: string | null }>(
      'SELECT status, reason FROM payments WHERE order_id = $1',
      [orderId],
    );

  describe('accounts', () => {
    describe('when a customer was never seen', () => {
      it('answers with the default credit', async () => {
        const customerId = newCustomer();
        const answer = await http.get(`/accounts/${customerId}`);
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual({ customerId, credit: 1000 });
      });
    });

    describe('when the credit is set', () => {
      it('creates the account with 201, then replaces it with 200', async () => {
        const customerId = newCustomer();
        const created = await http.put(`/accounts/${customerId}`, { credit: 250.5 });
        expect(created.status).toBe(201);
        expect(created.body).toEqual({ customerId, credit: 250.5 });

        const replaced = await http.put(`/accounts/${customerId}`, { credit: 0.1 });
        expect(replaced.status).toBe(200);
        expect(replaced.body).toEqual({ customerId, credit: 0.1 });
        expect((await http.get(`/accounts/${customerId}`)).body).toEqual({ customerId, credit: 0.1 });
      });

      it('keeps cents exact at the largest credit', async () => {
        const customerId = newCustomer();
        await http.put(`/accounts/${customerId}`, { credit: 999_999_999.99 });
        expect(await creditOf(customerId)).toBe(999_999_999.99);
      });
    });

    describe('when the input is bad', () => {
      it.each([
        ['a negative credit', { credit: -1 }, 'credit'],
        ['more than two decimals', { credit: 1.001 }, 'credit'],
        ['an exponent with too many decimals', { credit: 1e-7 }, 'credit'],
        ['a credit above 1e9', { credit: 1_000_000_000.01 }, 'credit'],
        ['a credit given as a string', { credit: '10' }, 'credit'],
        ['no credit', {}, 'credit'],
        ['an unknown field', { credit: 1, bonus: 5 }, 'bonus'],
      ])('answers 400 naming the field for %s', async (_, body, field) => {
        const answer = await http.put(`/accounts/${newCustomer()}`, body);
        expect(answer.status).toBe(400);
        expect(answer.body.message.join(' ')).toContain(field);
      });

      it('answers 400 naming customerId when it is over 100 characters', async () => {
        const customerId = 'c'.repeat(101);
        for (const answer of [
          await http.put(`/accounts/${customerId}`, { credit: 1 }),
          await http.get(`/accounts/${customerId}`),
        ]) {
          expect(answer.status).toBe(400);
          expect(answer.body.message.join(' ')).toContain('customerId');
        }
      });

      it('answers 400 to malformed JSON', async () => {
        const answer = await http.put(`/accounts/${newCustomer()}`, '{"credit": ');
        expect(answer.status).toBe(400);
        expect(answer.body.message).toContain('malformed JSON');
      });

      it('answers 413 to a body over 1 MiB', async () => {
        const body = JSON.stringify({ credit: 1, padding: 'x'.repeat(1024 * 1024) });
        const answer = await http.put(`/accounts/${newCustomer()}`, body);
        expect(answer.status).toBe(413);
      });
    });
  });

  describe('payments listing', () => {
    it('answers 400 naming both filters when neither is given', async () => {
      const answer = await http.get('/payments');
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain('orderId or customerId');
    });

    it('answers 400 naming orderId when it is not a UUID', async () => {
      const answer = await http.get('/payments?orderId=not-a-uuid');
      expect(answer.status).toBe(400);
      expect(answer.body.message.join(' ')).toContain('orderId');
    });

    it('answers an empty list for an order never charged', async () => {
      const answer = await http.get(`/payments?orderId=${randomUUID()}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual([]);
    });
  });

  describe('when the credit covers the charge', () => {
    it('captures it, reduces the credit and publishes PaymentCaptured', async () => {
      const customerId = newCustomer();
      const orderId = randomUUID();
      await http.put(`/accounts/${customerId}`, { credit: 100 });
      await charge({ orderId, customerId, amount: 25.99 });

      const outcome = await outcomeOf(orderId);
      expect(outcome.type).toBe(PaymentCaptured.type);
      expect(outcome.correlationId).toBe(orderId);
      expect(outcome.routingKey).toBe(PaymentCaptured.routingKey);
      const payments = (await http.get(`/payments?orderId=${orderId}`)).body;
      expect(payments).toEqual([
        { id: expect.any(String), orderId, customerId, amount: 25.99, status: 'CAPTURED' },
      ]);
      expect(bodyOf(outcome)).toEqual({ orderId, customerId, paymentId: payments[0].id, amount: 25.99 });
      expect(await creditOf(customerId)).toBe(74.01);
    });

    it('opens the account of a new customer with the default credit', async () => {
      const customerId = newCustomer();
      const orderId = randomUUID();
      await charge({ orderId, customerId, amount: 0.3 });

      expect((await outcomeOf(orderId)).type).toBe(PaymentCaptured.type);
      expect(await creditOf(customerId)).toBe(999.7);
      expect((await http.get(`/payments?customerId=${customerId}`)).body).toEqual([
        { id: expect.any(String), orderId, customerId, amount: 0.3, status: 'CAPTURED' },
      ]);
    });
  });

  describe('when the credit does not cover the charge', () => {
    it('declines for insufficient credit and leaves the credit unchanged', async () => {
      const customerId = newCustomer();
      const orderId = randomUUID();
      await http.put(`/accounts/${customerId}`, { credit: 10 });
      await charge({ orderId, customerId, amount: 10.01 });

      const outcome = await outcomeOf(orderId);
      expect(outcome.type).toBe(PaymentDeclined.type);
      expect(bodyOf(outcome)).toEqual({ orderId, reason: 'INSUFFICIENT_CREDIT' });
      expect(await creditOf(customerId)).toBe(10);
      expect((await http.get(`/payments?orderId=${orderId}`)).body).toEqual([
        { id: expect.any(String), orderId, customerId, amount: 10.01, status: 'DECLINED' },
      ]);
    });
  });

  describe('when the charge arrives after the saga gave up', () => {
    it('declines it as EXPIRED and charges nothing', async () => {
      const customerId = newCustomer();
      const orderId = randomUUID();
      await http.put(`/accounts/${customerId}`, { credit: 100 });
      await charge({ orderId, customerId, amount: 5, validForMs: 1000 }, { publishedAt: Date.now() - 5000 });

      const outcome = await outcomeOf(orderId);
      expect(outcome.type).toBe(PaymentDeclined.type);
      expect(bodyOf(outcome)).toEqual({ orderId, reason: 'EXPIRED' });
      expect(await paymentsOf(orderId)).toEqual([{ status: 'DECLINED', reason: 'EXPIRED' }]);
      expect(await creditOf(customerId)).toBe(100);
    });
  });

  describe('when the charge was published a while ago, within its validity', () => {
    it('counts its validity from when it was published, and charges', async () => {
      const customerId = newCustomer();
      const orderId = randomUUID();
      await http.put(`/accounts/${customerId}`, { credit: 100 });
      await charge(
        { orderId, customerId, amount: 5, validForMs: 30_000 },
        { publishedAt: Date.now() - 5000 },
      );

      const outcome = await outcomeOf(orderId);
      expect(outcome.type).toBe(PaymentCaptured.type);
      expect(await creditOf(customerId)).toBe(95);
    });
  });

  describe('its consumers', () => {
    it('reports one consumer on its work queue in messaging_consumers', async () => {
      expect(await harness.metric('messaging_consumers', { queue: 'payment.commands' })).toBe(1);
    });
  });

  describe('when a charge was recorded by its sender 90 s before it is handled', () => {
    it('observes 90 s of critical time for payment.commands (sender to handled)', async () => {
      const labels = { queue: 'payment.commands', type: 'ChargePayment' };
      const bucket = (le: string) =>
        harness.metric('message_critical_time_seconds_bucket', { ...labels, le });
      const [within60, within120] = [await bucket('60'), await bucket('120')];
      const orderId = randomUUID();
      await charge(
        { orderId, customerId: newCustomer(), amount: 1, validForMs: 300_000 },
        { recordedAt: new Date(Date.now() - 90_000), publishedAt: Date.now() - 90_000 },
      );
      await outcomeOf(orderId);
      await waitFor('the handled charge in the 120 s bucket', async () => (await bucket('120')) > within120);
      expect(await bucket('120')).toBe(within120 + 1);
      expect(await bucket('60')).toBe(within60);
    });
  });

  describe('when the same order is charged twice with different message ids', () => {
    it('charges once and answers the second request with the same outcome', async () => {
      const customerId = newCustomer();
      const orderId = randomUUID();
      await http.put(`/accounts/${customerId}`, { credit: 100 });
      await Promise.all([
        charge({ orderId, customerId, amount: 30 }),
        charge({ orderId, customerId, amount: 30 }),
      ]);

      await waitFor('two answers', () => outcomesOf(orderId).length === 2);
      const [first, second] = outcomesOf(orderId);
      expect(first.type).toBe(PaymentCaptured.type);
      expect(second.type).toBe(PaymentCaptured.type);
      expect(bodyOf(second)).toEqual(bodyOf(first));
      expect(first.messageId).not.toBe(second.messageId);
      expect(await paymentsOf(orderId)).toHaveLength(1);
      expect(await creditOf(customerId)).toBe(70);
    });
  });

  describe('when one message is delivered three times', () => {
    it('has its effect once', async () => {
      const customerId = newCustomer();
      const orderId = randomUUID();
      await http.put(`/accounts/${customerId}`, { credit: 100 });
      const messageId = randomUUID();
      const skippedBefore = await duplicatesSkipped();
      for (let delivery = 0; delivery < 3; delivery++) {
        await charge({ orderId, customerId, amount: 12.5 }, { messageId });
      }

      await outcomeOf(orderId);
      await waitFor(
        'the two redeliveries to be skipped',
        async () => (await duplicatesSkipped()) === skippedBefore + 2,
      );
      await harness.settled();
      expect(outcomesOf(orderId)).toHaveLength(1);
      expect(await paymentsOf(orderId)).toHaveLength(1);
      expect(await creditOf(customerId)).toBe(87.5);
    });
  });

  describe('when ten orders of one customer are charged at once and the credit covers four', () => {
    it('captures exactly four and never lets the credit go negative', async () => {
      const customerId = newCustomer();
      await http.put(`/accounts/${customerId}`, { credit: 40 });
      const orderIds = Array.from({ length: 10 }, () => randomUUID());
      await Promise.all(orderIds.map((orderId) => charge({ orderId, customerId, amount: 10 })));

      await waitFor('ten answers', () => orderIds.every((orderId) => outcomesOf(orderId).length > 0), 30_000);
      const types = orderIds.map((orderId) => outcomesOf(orderId)[0].type);
      expect(types.filter((type) => type === PaymentCaptured.type)).toHaveLength(4);
      expect(types.filter((type) => type === PaymentDeclined.type)).toHaveLength(6);
      const payments = (await http.get(`/payments?customerId=${customerId}`)).body;
      expect(payments.filter((payment: { status: string }) => payment.status === 'CAPTURED')).toHaveLength(4);
      expect(await creditOf(customerId)).toBe(0);
    });
  });

  describe('when a captured payment is refunded', () => {
    it('gives the amount back once and shows the payment as REFUNDED', async () => {
      const customerId = newCustomer();
      const orderId = randomUUID();
      await http.put(`/accounts/${customerId}`, { credit: 50 });
      await charge({ orderId, customerId, amount: 19.99 });
      await outcomeOf(orderId);
      expect(await creditOf(customerId)).toBe(30.01);

      await refund(orderId);
      await refund(orderId);

      await harness.settled();
      const [payment] = (await http.get(`/payments?orderId=${orderId}`)).body;
      expect(payment).toMatchObject({ orderId, amount: 19.99, status: 'REFUNDED' });
      expect(await creditOf(customerId)).toBe(50);
    });
  });

  describe('when a declined payment is refunded', () => {
    it('changes nothing', async () => {
      const customerId = newCustomer();
      const orderId = randomUUID();
      await http.put(`/accounts/${customerId}`, { credit: 5 });
      await charge({ orderId, customerId, amount: 6 });
      await outcomeOf(orderId);

      await refund(orderId);
      await harness.settled();
      expect(await paymentsOf(orderId)).toEqual([{ status: 'DECLINED', reason: 'INSUFFICIENT_CREDIT' }]);
      expect(await creditOf(customerId)).toBe(5);
    });
  });
});
