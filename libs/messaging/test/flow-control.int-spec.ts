import { MessagingHealth, PublisherConnection, UnitOfWork } from '@platform/messaging';
import {
  BrokerProbe,
  databaseUrl,
  dropDatabase,
  infrastructure,
  query,
  startService,
  TcpProxy,
  testRabbitmqUrl,
  uniqueSuffix,
  waitFor,
  tokenFor,
  within,
} from '@platform/testing';
import { destroyHarness, Harness, startHarness } from './messaging-harness';

/**
 * Publishing when RabbitMQ will not take messages: memory alarms (they alarm the machine's RabbitMQ and
 * always clear it) and a broker that goes silent and never confirms (through a TCP proxy).
 */
describe('publishing under flow control', () => {
  let probe: BrokerProbe;

  beforeAll(async () => {
    probe = await BrokerProbe.open();
  });
  afterAll(async () => {
    infrastructure.unblockPublishers();
    await probe.close();
  });

  const keysOf = async (harness: Harness, prefix: string, kind: string) =>
    (await harness.effects(kind)).map((effect) => effect.key).filter((key) => key.startsWith(prefix));
  const expectEachOnce = async (harness: Harness, prefix: string, count: number) => {
    const expected = Array.from({ length: count }, (_, index) => `${prefix}${index}`).sort();
    await waitFor(
      `${count} events for ${prefix}`,
      async () => (await keysOf(harness, prefix, 'event')).length >= count,
      30_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await keysOf(harness, prefix, 'command')).sort()).toEqual(expected);
    expect((await keysOf(harness, prefix, 'event')).sort()).toEqual(expected);
  };
  const record = (harness: Harness, key: string) =>
    harness.app
      .get(UnitOfWork)
      .run(async ({ outbox }) => outbox.add(harness.messages.RecordEffect.v1({ key, failTimes: 0 })));

  describe('when the connections drop while RabbitMQ blocks publishers, and the alarm then clears', () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness({ env: { OUTBOX_STALL_TIMEOUT_MS: '1000' } });
    });
    afterAll(() => destroyHarness(harness, probe));

    it('reports the stalled relay while it holds and publishes everything once afterwards', async () => {
      const publisher = harness.app.get(PublisherConnection);
      const health = harness.app.get(MessagingHealth);
      infrastructure.blockPublishers();
      try {
        // A publish is what makes RabbitMQ announce the block to a connection.
        await waitFor('the relay to be blocked', async () => {
          await record(harness, `alarm-probe-${Date.now()}`);
          return publisher.isBlocked;
        });
        for (let index = 0; index < 10; index += 1) await record(harness, `held-${index}`);
        infrastructure.closeRabbitmqConnections();
        await probe.close();
        probe = await BrokerProbe.open();
        await waitFor('the publishing connection to be back', () => publisher.isReady, 20_000);
        await waitFor(
          'readiness to report the relay',
          () => health.problems().some((problem) => problem.includes('nothing was published')),
          10_000,
        );
        expect(await keysOf(harness, 'held-', 'event')).toEqual([]);
      } finally {
        infrastructure.unblockPublishers();
      }
      await expectEachOnce(harness, 'held-', 10);
      await waitFor('readiness to clear', () => health.problems().length === 0, 10_000);
    });
  });

  describe('when RabbitMQ blocks publishers while messages wait to be consumed', () => {
    it('goes on handling and acknowledging them, and publishes what they caused once it clears', async () => {
      const first = await startHarness();
      await first.close();
      const queue = `${first.service}.commands`;
      for (let index = 0; index < 20; index += 1) {
        await probe.publish(
          'commands',
          first.messages.RecordEffect.routingKey,
          JSON.stringify({ key: `acked-${index}` }),
          { type: 'RecordEffect' },
        );
      }
      infrastructure.blockPublishers();
      let second: Harness | undefined;
      try {
        second = await startHarness({ service: first.service, database: first.database });
        const started = second;
        await waitFor(
          'every command to be handled',
          async () => (await keysOf(started, 'acked-', 'command')).length === 20,
          20_000,
        );
        // The relay's connection is blocked by now; the consumer's acks must still reach RabbitMQ.
        await waitFor(
          'every delivery to be acknowledged',
          () => {
            const counts = infrastructure.queueCounts(queue);
            return counts.ready === 0 && counts.unacked === 0;
          },
          10_000,
        );
        expect(await keysOf(started, 'acked-', 'event')).toEqual([]);
      } finally {
        infrastructure.unblockPublishers();
      }
      await expectEachOnce(second, 'acked-', 20);
      await destroyHarness(second, probe);
    });
  });

  describe('when a service gets SIGTERM while RabbitMQ blocks its publishing', () => {
    it('still ends within SHUTDOWN_TIMEOUT_MS', async () => {
      const database = `order_alarm_${uniqueSuffix()}`;
      const service = await startService('order-service', {
        PORT: String(46000 + Math.floor(Math.random() * 2000)),
        DATABASE_URL: databaseUrl(database),
        SHUTDOWN_TIMEOUT_MS: '4000',
      });
      infrastructure.blockPublishers();
      try {
        for (let index = 0; index < 5; index += 1) {
          const answer = await fetch(`${service.url}/orders`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${await tokenFor({ customer: 'alarm' })}`,
            },
            body: JSON.stringify({ customerId: 'alarm', items: [{ sku: `sku-${index}`, quantity: 1 }] }),
          });
          expect(answer.status).toBe(202);
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const started = Date.now();
        const ended = await within(service.stop(), 8000);
        expect(ended).not.toBe('timeout');
        expect(Date.now() - started).toBeLessThan(5000);
      } finally {
        infrastructure.unblockPublishers();
        await service.kill();
        await dropDatabase(database);
      }
    });
  });

  describe('when RabbitMQ goes silent and never confirms', () => {
    let proxy: TcpProxy;
    let harness: Harness;
    beforeAll(async () => {
      proxy = await TcpProxy.start({
        host: '127.0.0.1',
        port: Number(new URL(testRabbitmqUrl).port || 5672),
      });
      harness = await startHarness({
        env: { RABBITMQ_URL: proxy.urlFor(testRabbitmqUrl), OUTBOX_CONFIRM_TIMEOUT_MS: '1000' },
      });
    });
    afterAll(async () => {
      await destroyHarness(harness, probe);
      await proxy.stop();
    });

    it('gives the rows back with the error within the bound, keeps no lock on them, and publishes them later', async () => {
      expect(proxy.silence(`${harness.service}-service ${process.pid} publisher`)).toBe(1);
      await harness.app.get(UnitOfWork).run(async ({ outbox }) => {
        for (let index = 0; index < 5; index += 1) {
          outbox.add(harness.messages.RecordEffect.v1({ key: `silent-${index}`, failTimes: 0 }));
        }
      });
      await waitFor(
        'the rows to be given back with the error',
        async () => {
          const rows = await query<{ count: number }>(
            harness.database,
            `SELECT count(*)::int AS count FROM outbox WHERE last_error LIKE '%no confirm%'`,
          );
          return rows[0].count >= 5;
        },
        5000,
      );
      await waitFor(
        'no transaction to hold a lock on them',
        async () => {
          await query(harness.database, `SELECT 1 FROM outbox WHERE published_at IS NULL FOR UPDATE NOWAIT`);
          return true;
        },
        3000,
      );
      await expectEachOnce(harness, 'silent-', 5);
    });

    it('stops promptly while RabbitMQ does not answer', async () => {
      expect(proxy.silence(`${harness.service}-service ${process.pid} publisher`)).toBeGreaterThanOrEqual(1);
      await record(harness, 'silent-at-stop');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      expect(await within(harness.close(), 6000)).not.toBe('timeout');
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });
});

describe('a relay woken while nothing waits', () => {
  it('is not reported as stalled', async () => {
    const probe = await BrokerProbe.open();
    const harness = await startHarness({ env: { OUTBOX_STALL_TIMEOUT_MS: '500' } });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(harness.app.get(MessagingHealth).problems()).toEqual([]);
    } finally {
      await destroyHarness(harness, probe);
      await probe.close();
    }
  });
});
