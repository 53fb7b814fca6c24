import { z } from 'zod';
import { command, event } from '@platform/contracts';
import { OutboxRelay, UnitOfWork } from '@platform/messaging';
import { BrokerProbe, query, waitFor } from '@platform/testing';
import { destroyHarness, Harness, startHarness } from './messaging-harness';

describe('the outbox relay', () => {
  let probe: BrokerProbe;
  let harness: Harness;

  beforeAll(async () => {
    probe = await BrokerProbe.open();
    harness = await startHarness();
  });
  afterAll(async () => {
    await destroyHarness(harness, probe);
    await probe.close();
  });

  const record = (key: string) => harness.messages.RecordEffect.v1({ key, failTimes: 0 });
  const pending = async () =>
    (
      await query<{ count: number }>(
        harness.database,
        `SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL`,
      )
    )[0].count;

  describe('when the process dies between commit and publish', () => {
    it('publishes the committed rows after the next start', async () => {
      const listener = await probe.listen('commands', harness.messages.RecordEffect.routingKey);
      await harness.app.get(OutboxRelay).stop();
      const unitOfWork = harness.app.get(UnitOfWork);
      for (let index = 0; index < 5; index += 1) {
        await unitOfWork.run(async ({ outbox }) => outbox.add(record(`stranded-${index}`)));
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(listener.messages).toHaveLength(0);
      expect(await pending()).toBe(5);

      await harness.close();
      harness = await startHarness({ service: harness.service, database: harness.database });

      await waitFor('the stranded rows to be published', () => listener.messages.length === 5);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(listener.messages.map((message) => JSON.parse(message.content.toString()).key).sort()).toEqual(
        [0, 1, 2, 3, 4].map((index) => `stranded-${index}`),
      );
      expect(await pending()).toBe(0);
      await listener.stop();
    });
  });

  describe('when another process commits to the outbox', () => {
    it('is woken by its NOTIFY and publishes at once, without waiting for its poll', async () => {
      const writer = await startHarness({ service: harness.service, database: harness.database });
      await writer.app.get(OutboxRelay).stop();
      const reader = await startHarness({
        service: harness.service,
        database: harness.database,
        env: { OUTBOX_POLL_INTERVAL_MS: '60000' },
      });
      await harness.app.get(OutboxRelay).stop();
      const listener = await probe.listen('commands', harness.messages.RecordEffect.routingKey);
      try {
        // The reader's first drain (at start) is over; from now on only a NOTIFY or its poll can wake it.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await writer.app.get(UnitOfWork).run(async ({ outbox }) => outbox.add(record('notified')));
        await waitFor(
          'the row to be published by the other process',
          () => listener.messages.length === 1,
          5000,
        );
        await waitFor('the row to be marked published', async () => (await pending()) === 0);
      } finally {
        await listener.stop();
        await reader.close();
        await writer.close();
        await harness.app.get(OutboxRelay).start();
      }
    });
  });

  describe('when two relays drain one outbox', () => {
    it('publishes every row once', async () => {
      const second = await startHarness({ service: harness.service, database: harness.database });
      const listener = await probe.listen('commands', harness.messages.RecordEffect.routingKey);
      try {
        const writers = [harness, second].map((instance) => instance.app.get(UnitOfWork));
        await Promise.all(
          Array.from({ length: 60 }, (_, batch) =>
            writers[batch % 2].run(async ({ outbox }) => {
              for (let index = 0; index < 5; index += 1) outbox.add(record(`pair-${batch}-${index}`));
            }),
          ),
        );
        await waitFor('300 publishes', () => listener.messages.length >= 300);
        await new Promise((resolve) => setTimeout(resolve, 500));
        const ids = listener.messages.map((message) => message.properties.messageId);
        expect(ids).toHaveLength(300);
        expect(new Set(ids).size).toBe(300);
        await waitFor('the outbox to drain', async () => (await pending()) === 0);
      } finally {
        await listener.stop();
        await second.close();
      }
    });
  });

  describe('when a message cannot be routed', () => {
    it('keeps the row pending with the error instead of marking it published', async () => {
      class Unbound extends command(`${harness.service}-nobody`, 'Unbound', z.object({ key: z.string() }), {
        sentBy: harness.service,
      }) {}
      await harness.app
        .get(UnitOfWork)
        .run(async ({ outbox }) => outbox.add(Unbound.v1({ key: 'unroutable' })));
      const [row] = await waitFor('the unroutable row to record its failure', async () => {
        const rows = await query<{ attempts: number; last_error: string; published_at: Date | null }>(
          harness.database,
          `SELECT attempts, last_error, published_at FROM outbox WHERE payload LIKE '%unroutable%'`,
        );
        return rows[0]?.attempts > 0 ? rows : undefined;
      });
      expect(row.published_at).toBeNull();
      expect(row.last_error).toContain('unroutable');
      await query(harness.database, `DELETE FROM outbox WHERE payload LIKE '%unroutable%'`);
    });
  });

  describe('when an event has no subscriber in libs/contracts consumers', () => {
    it('marks it published: nobody subscribes yet, so RabbitMQ dropping it loses nothing', async () => {
      class NobodyListens extends event(
        `${harness.service}-new`,
        'NobodyListens',
        z.object({ key: z.string() }),
      ) {}
      await harness.app
        .get(UnitOfWork)
        .run(async ({ outbox }) => outbox.add(NobodyListens.v1({ key: 'no-subscriber' })));
      const [row] = await waitFor('the event without subscriber to be published', async () => {
        const rows = await query<{ last_error: string | null; published_at: Date | null }>(
          harness.database,
          `SELECT last_error, published_at FROM outbox WHERE payload LIKE '%no-subscriber%'`,
        );
        return rows[0]?.published_at ? rows : undefined;
      });
      expect(row.last_error).toBeNull();
    });
  });
});
