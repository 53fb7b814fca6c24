import { OutboxRelay, UnitOfWork } from '@platform/messaging';
import { BrokerProbe, query, waitFor } from '@platform/testing';
import { destroyHarness, Harness, startHarness } from './messaging-harness';

describe('publishing through the outbox', () => {
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

  it('publishes a committed message exactly once, with the full envelope', async () => {
    const listener = await probe.listen('commands', harness.messages.RecordEffect.routingKey);
    const unitOfWork = harness.app.get(UnitOfWork);
    await unitOfWork.run(async ({ outbox }) => outbox.add(record('committed'), { correlationId: 'order-1' }));

    await waitFor('the committed message', () => listener.messages.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(listener.messages).toHaveLength(1);
    const [message] = listener.messages;
    expect(JSON.parse(message.content.toString())).toEqual({ key: 'committed', failTimes: 0 });
    expect(message.properties).toMatchObject({
      type: 'RecordEffect',
      correlationId: 'order-1',
      contentType: 'application/json',
      deliveryMode: 2,
    });
    expect(message.properties.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(message.properties.timestamp).toBeGreaterThan(0);
    expect(message.properties.headers).toMatchObject({ 'x-schema-version': 1 });
    const [row] = await query(harness.database, `SELECT published_at FROM outbox WHERE message_id = $1`, [
      message.properties.messageId,
    ]);
    expect(row.published_at).not.toBeNull();
    await listener.stop();
  });

  it('publishes nothing when the transaction rolls back', async () => {
    const listener = await probe.listen('commands', harness.messages.RecordEffect.routingKey);
    const unitOfWork = harness.app.get(UnitOfWork);
    await expect(
      unitOfWork.run(async ({ outbox }) => {
        outbox.add(record('rolled-back'));
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(listener.messages).toHaveLength(0);
    const rows = await query(harness.database, `SELECT 1 FROM outbox WHERE payload LIKE '%rolled-back%'`);
    expect(rows).toHaveLength(0);
    await listener.stop();
  });

  it('wakes the relay after a commit that recorded messages, and not after one that recorded none', async () => {
    // Its own instance with a poll that never comes within the test, so only commits can wake its relay.
    const quiet = await startHarness({
      service: harness.service,
      database: harness.database,
      env: { OUTBOX_POLL_INTERVAL_MS: '60000' },
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const wake = jest.spyOn(quiet.app.get(OutboxRelay), 'wake');
      const unitOfWork = quiet.app.get(UnitOfWork);
      await unitOfWork.run(async ({ outbox }) => void outbox);
      expect(wake).not.toHaveBeenCalled();
      await unitOfWork.run(async ({ outbox }) => outbox.add(record('wakes')));
      expect(wake).toHaveBeenCalledTimes(1);
    } finally {
      await quiet.close();
    }
  });

  it('handles the command it published and the event that follows, once each', async () => {
    const unitOfWork = harness.app.get(UnitOfWork);
    await unitOfWork.run(async ({ outbox }) => outbox.add(record('round-trip')));
    const ofKey = async () => (await harness.effects()).filter((effect) => effect.key === 'round-trip');
    await waitFor('the event handler effect', async () => (await ofKey()).length === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await ofKey()).toEqual([
      { key: 'round-trip', kind: 'command' },
      { key: 'round-trip', kind: 'event' },
    ]);
  });
});
