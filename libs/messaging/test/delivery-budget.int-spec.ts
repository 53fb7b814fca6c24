import { randomUUID } from 'node:crypto';
import { connect } from 'amqplib';
import { listDeadLetters } from '@platform/messaging';
import { metricsRegistry } from '@platform/observability';
import { DataSource, QueryRunner } from 'typeorm';
import { BrokerProbe, infrastructure, testRabbitmqUrl, waitFor } from '@platform/testing';
import { consumedCount, destroyHarness, Harness, sendCommand, startHarness } from './messaging-harness';

/**
 * What a delivery may cost: retries are bounded whatever a header says, reconnects and a busy database pool
 * cost nothing, and nothing a sender makes up (a type, a thrown value) can grow memory or stop the consumer.
 */
describe("a delivery's attempts", () => {
  let probe: BrokerProbe;
  let harness: Harness;

  beforeAll(async () => {
    probe = await BrokerProbe.open();
    harness = await startHarness({ env: { DATABASE_POOL_SIZE: '4', MESSAGING_PREFETCH: '50' } });
  });
  afterAll(async () => {
    await destroyHarness(harness, probe);
    await probe.close();
  });

  const queue = () => `${harness.service}.commands`;
  const send = (body: Record<string, unknown>, options: Parameters<BrokerProbe['publish']>[3] = {}) =>
    sendCommand(probe, harness, body, options);
  const effects = async (key: string, kind = 'command') =>
    (await harness.effects(kind)).filter((effect) => effect.key === key).length;
  const parked = async (messageId: string) => {
    const connection = await connect(testRabbitmqUrl);
    try {
      return (await listDeadLetters(connection, harness.service)).find(
        (letter) => letter.messageId === messageId,
      );
    } finally {
      await connection.close();
    }
  };
  /** messages_consumed_total of this harness's queue, by `type` and `outcome` label. */
  const consumed = async () => {
    const metric = await metricsRegistry.getSingleMetric('messages_consumed_total')!.get();
    return metric.values
      .filter((value) => value.labels.queue === queue())
      .map((value) => ({
        type: String(value.labels.type),
        outcome: String(value.labels.outcome),
        count: value.value,
      }));
  };
  const countOf = (outcome: string) => consumedCount(queue(), outcome);

  describe('when its x-attempts header is forged', () => {
    it.each([
      ['negative', -1000, 3],
      ['absurdly high', 1e12, 1],
      ['not a number', 'many', 3],
    ])(
      'a %s count buys no extra attempts: a message that always fails is parked within the limit',
      async (_, attempts, expected) => {
        const key = `forged-${String(attempts)}`;
        const messageId = await send({ key, failTimes: 1000 }, { headers: { 'x-attempts': attempts } });
        const letter = await waitFor(`${key} to be parked`, () => parked(messageId), 15_000);
        expect(letter.reason).toBe('handler-failed');
        expect(harness.attempts.get(key)).toBe(expected);
      },
    );
  });

  describe('when a handler throws something that is not an Error', () => {
    it.each(['undefined', 'string', 'object'])(
      '(%s) retries it like any failure and handles it once',
      async (throws) => {
        const key = `throws-${throws}`;
        await send({ key, failTimes: 1, throws });
        await waitFor(`${key} to be handled`, async () => (await effects(key, 'event')) === 1, 15_000);
        expect(harness.attempts.get(key)).toBe(2);
      },
    );
  });

  describe('when deliveries carry types nobody defined', () => {
    it('parks them and keeps one metric series for all of them', async () => {
      const before = (await consumed()).length;
      for (let index = 0; index < 25; index += 1)
        await send({ key: 'x' }, { type: `Made-Up-${randomUUID()}` });
      await waitFor(
        'all of them to be parked',
        async () => (await probe.messageCount(`${harness.service}.dlq`)) >= 25,
      );
      const types = new Set((await consumed()).map((entry) => entry.type));
      expect([...types].filter((type) => type.startsWith('Made-Up'))).toEqual([]);
      expect((await consumed()).length - before).toBeLessThanOrEqual(1);
      await probe.purge(`${harness.service}.dlq`);
    });
  });

  describe('when RabbitMQ drops the connections again and again while messages are being handled', () => {
    it('spends none of their attempts: each is handled once and none is parked', async () => {
      const retriedBefore = await countOf('retried');
      const keys = Array.from({ length: 8 }, (_, index) => `reconnected-${index}`);
      for (const key of keys) await send({ key, delayMs: 700 });
      for (let drop = 0; drop < 4; drop += 1) {
        await new Promise((resolve) => setTimeout(resolve, 400));
        infrastructure.closeRabbitmqConnections();
      }
      await probe.close();
      probe = await BrokerProbe.open();
      await waitFor(
        'every message to be handled',
        async () =>
          (await Promise.all(keys.map((key) => effects(key, 'event')))).every((count) => count === 1),
        45_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      for (const key of keys) expect(await effects(key, 'event')).toBe(1);
      expect(await probe.messageCount(`${harness.service}.dlq`)).toBe(0);
      expect(await countOf('retried')).toBe(retriedBefore);
    });
  });

  describe('when every database connection of the pool is taken for longer than a connection wait', () => {
    let held: QueryRunner[] = [];
    afterEach(async () => {
      await Promise.all(held.map((runner) => runner.release().catch(() => undefined)));
      held = [];
    });

    it('holds the deliveries until a connection is free, without sending them round the retry queues', async () => {
      const dataSource = harness.app.get(DataSource);
      held = Array.from({ length: 4 }, () => dataSource.createQueryRunner());
      await Promise.all(held.map((runner) => runner.connect()));
      const retriedBefore = await countOf('retried');
      const keys = Array.from({ length: 6 }, (_, index) => `pool-${index}`);
      for (const key of keys) await send({ key });
      // pg's pool gives up waiting for a connection after 5 s; hold them longer than that.
      await new Promise((resolve) => setTimeout(resolve, 6500));
      expect(await countOf('retried')).toBe(retriedBefore);
      await Promise.all(held.map((runner) => runner.release()));
      held = [];
      await waitFor(
        'every message to be handled',
        async () => (await Promise.all(keys.map((key) => effects(key)))).every((count) => count === 1),
        20_000,
      );
      expect(await countOf('retried')).toBe(retriedBefore);
      for (const key of keys) expect(harness.attempts.get(key)).toBe(1);
    });
  });
});
