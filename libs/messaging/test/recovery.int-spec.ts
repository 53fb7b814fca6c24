import { ConsumerConnection, PublisherConnection, UnitOfWork } from '@platform/messaging';
import { BrokerProbe, infrastructure, waitFor } from '@platform/testing';
import { destroyHarness, Harness, startHarness } from './messaging-harness';

/** Fault tests: they stop the machine's RabbitMQ and restart its PostgreSQL, and always bring them back. */
describe('recovering from infrastructure faults', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(async () => {
    const probe = await BrokerProbe.open();
    await destroyHarness(harness, probe);
    await probe.close();
  });

  const record = (key: string) => harness.messages.RecordEffect.v1({ key, failTimes: 0 });
  const keysOf = async (prefix: string, kind: string) =>
    (await harness.effects(kind)).map((effect) => effect.key).filter((key) => key.startsWith(prefix));
  const expectEachOnce = async (prefix: string, count: number) => {
    const expected = Array.from({ length: count }, (_, index) => `${prefix}${index}`).sort();
    await waitFor(
      `${count} commands and events for ${prefix}`,
      async () => (await keysOf(prefix, 'event')).length >= count,
      45_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await keysOf(prefix, 'command')).sort()).toEqual(expected);
    expect((await keysOf(prefix, 'event')).sort()).toEqual(expected);
  };

  describe('when RabbitMQ stops while work is being committed', () => {
    it('reports not ready, keeps accepting work, and delivers all of it once RabbitMQ is back', async () => {
      const broker = harness.app.get(PublisherConnection);
      const unitOfWork = harness.app.get(UnitOfWork);
      infrastructure.stopRabbitmq();
      try {
        await waitFor('the connection loss to be noticed', () => !broker.isReady, 20_000);
        for (let index = 0; index < 20; index += 1) {
          await unitOfWork.run(async ({ outbox }) => outbox.add(record(`outage-${index}`)));
        }
      } finally {
        infrastructure.startRabbitmq();
      }
      await waitFor('the connection to come back', () => broker.isReady, 30_000);
      await expectEachOnce('outage-', 20);
    });
  });

  describe('when RabbitMQ closes every connection', () => {
    it('reconnects, declares its topology and consumers again, and loses nothing', async () => {
      const unitOfWork = harness.app.get(UnitOfWork);
      const writes = Array.from({ length: 20 }, (_, index) =>
        unitOfWork.run(async ({ outbox }) => outbox.add(record(`closed-${index}`))),
      );
      infrastructure.closeRabbitmqConnections();
      await Promise.all(writes);
      await expectEachOnce('closed-', 20);
    });
  });

  describe('when PostgreSQL restarts while messages are being handled', () => {
    it('waits the outage out without spending attempts and handles every message once', async () => {
      const probe = await BrokerProbe.open();
      try {
        const publishes = Array.from({ length: 20 }, (_, index) =>
          probe.publish(
            'commands',
            harness.messages.RecordEffect.routingKey,
            JSON.stringify({ key: `pg-${index}` }),
            {
              type: 'RecordEffect',
            },
          ),
        );
        infrastructure.restartPostgres();
        await Promise.all(publishes);
      } finally {
        await probe.close();
      }
      await expectEachOnce('pg-', 20);
    });
  });

  describe('when RabbitMQ blocks publishers (memory alarm)', () => {
    it('holds messages in the outbox while blocked and publishes each once when unblocked', async () => {
      const broker = harness.app.get(PublisherConnection);
      const unitOfWork = harness.app.get(UnitOfWork);
      infrastructure.blockPublishers();
      try {
        await waitFor('the relay to see the block', async () => {
          // A publish is what makes RabbitMQ announce the block to a connection.
          await unitOfWork.run(async ({ outbox }) => outbox.add(record(`alarm-probe-${Date.now()}`)));
          return broker.isBlocked;
        });
        for (let index = 0; index < 10; index += 1) {
          await unitOfWork.run(async ({ outbox }) => outbox.add(record(`blocked-${index}`)));
        }
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(await keysOf('blocked-', 'event')).toEqual([]);
      } finally {
        infrastructure.unblockPublishers();
      }
      await expectEachOnce('blocked-', 10);
    });
  });

  describe('when a work queue is deleted under a running consumer', () => {
    it('declares it again and goes on consuming', async () => {
      const broker = harness.app.get(ConsumerConnection);
      const rebuilt = new Promise((resolve) => broker.once('ready', resolve));
      const probe = await BrokerProbe.open();
      try {
        await probe.deleteQueue(`${harness.service}.commands`);
      } finally {
        await probe.close();
      }
      await rebuilt;
      await harness.app.get(UnitOfWork).run(async ({ outbox }) => outbox.add(record('requeued-0')));
      await expectEachOnce('requeued-', 1);
    });
  });
});
