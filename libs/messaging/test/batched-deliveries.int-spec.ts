import { randomUUID } from 'node:crypto';
import { BrokerProbe, databaseUrl, query, waitFor } from '@platform/testing';
import { Client } from 'pg';
import { consumedCount, destroyHarness, Harness, sendCommand, startHarness } from './messaging-harness';

/**
 * Deliveries that arrive while a transaction runs share the next one (MessageConsumer's
 * handleBatch). One transaction runs at a time: a slow message holds it while the next ones
 * arrive, and they are then handled together. Rows written in one transaction share its id (`xmin`).
 */
describe('deliveries handled in one transaction', () => {
  let probe: BrokerProbe;
  let harness: Harness;

  beforeAll(async () => {
    probe = await BrokerProbe.open();
    harness = await startHarness({ env: { MESSAGING_BATCH_SIZE: '16' } });
  });
  afterAll(async () => {
    await destroyHarness(harness, probe);
    await probe.close();
  });

  const queue = () => `${harness.service}.commands`;
  const send = (body: Record<string, unknown>, options: Parameters<BrokerProbe['publish']>[3] = {}) =>
    sendCommand(probe, harness, body, options);
  /** The command effects of these keys with the transaction that wrote each. */
  const commandEffects = (keys: string[]) =>
    query<{ key: string; tx: string }>(
      harness.database,
      `SELECT key, xmin::text AS tx FROM effects WHERE kind = 'command' AND key = ANY($1) ORDER BY id`,
      [keys],
    );
  const eventEffects = async (keys: string[]) =>
    (await harness.effects('event')).filter((effect) => keys.includes(effect.key));
  const outcomes = (outcome: string) => consumedCount(queue(), outcome);
  /** Holds the only slot for `ms` and sends `after` meanwhile, so they wait for it together. */
  const whileTheSlotIsHeld = async (ms: number, after: () => Promise<void>) => {
    const blocker = `blocker-${randomUUID()}`;
    await send({ key: blocker, delayMs: ms });
    await waitFor('the slow message to hold the slot', () => harness.attempts.get(blocker) === 1);
    await after();
  };

  it('handles what waited in one transaction, each message once, each answer caused by its own message', async () => {
    const keys = Array.from({ length: 5 }, (_, index) => `together-${index}`);
    const ids: string[] = [];
    await whileTheSlotIsHeld(800, async () => {
      // One id in upper case: new, though PostgreSQL hands it back in lower case.
      for (const key of keys)
        ids.push(await send({ key }, key === 'together-2' ? { messageId: randomUUID().toUpperCase() } : {}));
    });
    await waitFor(
      'every answer to be handled',
      async () => (await eventEffects(keys)).length === keys.length,
    );

    const effects = await commandEffects(keys);
    expect(effects.map((effect) => effect.key)).toEqual(keys);
    expect(new Set(effects.map((effect) => effect.tx)).size).toBe(1);
    const causes = await query<{ causation_id: string }>(
      harness.database,
      `SELECT causation_id FROM outbox WHERE causation_id = ANY($1)`,
      [ids],
    );
    expect(causes.map((row) => row.causation_id).sort()).toEqual([...ids].sort());
    for (const key of keys) expect(harness.attempts.get(key)).toBe(1);
  });

  it('rolls back when one fails and handles each alone: the failure goes the retry path, the rest commit once', async () => {
    const good = ['alone-0', 'alone-1', 'alone-2'];
    const failing = 'alone-failing';
    const retriedBefore = await outcomes('retried');
    await whileTheSlotIsHeld(800, async () => {
      await send({ key: good[0] });
      await send({ key: failing, failTimes: 2 });
      for (const key of good.slice(1)) await send({ key });
    });
    await waitFor(
      'every message to be handled',
      async () => (await eventEffects([...good, failing])).length === good.length + 1,
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const effects = await commandEffects([...good, failing]);
    expect(effects.map((effect) => effect.key).sort()).toEqual([...good, failing].sort());
    // Each committed in a transaction of its own once the shared one had rolled back.
    expect(new Set(effects.map((effect) => effect.tx)).size).toBe(good.length + 1);
    // Tried in the shared transaction, alone, then once more from the retry queue.
    expect(harness.attempts.get(failing)).toBe(3);
    expect(await outcomes('retried')).toBe(retriedBefore + 1);
    expect(await probe.messageCount(`${harness.service}.dlq`)).toBe(0);
  });

  it('gives up a row lock it waits for too long (a deadlock with another replica) and handles each alone', async () => {
    const keys = ['locked-0', 'locked-1', 'locked-2'];
    const locker = new Client({ connectionString: databaseUrl(harness.database) });
    await locker.connect();
    try {
      let locked: Promise<unknown> = Promise.resolve();
      await whileTheSlotIsHeld(800, async () => {
        for (const key of keys) await send({ key });
        // Queued behind the slow message's insert, so granted before the batch's inserts ask.
        await locker.query('BEGIN');
        locked = locker.query('LOCK TABLE effects IN EXCLUSIVE MODE');
      });
      await locked;
      // Well past the batch's 200 ms lock timeout: without it the batch would still be waiting.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await locker.query('COMMIT');
    } finally {
      await locker.end();
    }
    await waitFor(
      'every answer to be handled',
      async () => (await eventEffects(keys)).length === keys.length,
    );

    const effects = await commandEffects(keys);
    expect(effects.map((effect) => effect.key)).toEqual(keys);
    expect(new Set(effects.map((effect) => effect.tx)).size).toBe(keys.length);
    // The first one's insert gave up waiting, which ended the batch before the others ran; then each alone.
    expect(keys.map((key) => harness.attempts.get(key))).toEqual([2, 1, 1]);
  });

  it('turns copies of a message in the same transaction into duplicates', async () => {
    const key = 'copied';
    const messageId = randomUUID();
    const duplicatesBefore = await outcomes('duplicate');
    await whileTheSlotIsHeld(800, async () => {
      await send({ key }, { messageId });
      await send({ key: 'beside-the-copies' });
      await send({ key }, { messageId });
      // The same id in upper case is the same message: PostgreSQL's uuid does not keep the case.
      await send({ key }, { messageId: messageId.toUpperCase() });
    });
    await waitFor('the queue to empty', async () => (await probe.messageCount(queue())) === 0);
    await waitFor(
      'both to be handled',
      async () => (await eventEffects([key, 'beside-the-copies'])).length === 2,
    );
    await waitFor(
      'the copies to be counted',
      async () => (await outcomes('duplicate')) === duplicatesBefore + 2,
    );

    const effects = await commandEffects([key, 'beside-the-copies']);
    expect(effects.map((effect) => effect.key)).toEqual([key, 'beside-the-copies']);
    expect(new Set(effects.map((effect) => effect.tx)).size).toBe(1);
    expect(harness.attempts.get(key)).toBe(1);
  });
});
