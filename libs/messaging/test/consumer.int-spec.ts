import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { connect } from 'amqplib';
import { listDeadLetters, UnitOfWork } from '@platform/messaging';
import { BrokerProbe, testRabbitmqUrl, waitFor } from '@platform/testing';
import { destroyHarness, Harness, startHarness } from './messaging-harness';

/** `npm run dlq -- <args>`, as an operator runs it (from the build). */
const dlq = (...args: string[]) =>
  execFileSync(process.execPath, [join(__dirname, '../../../dist/libs/messaging/src/cli/dlq.js'), ...args], {
    encoding: 'utf8',
  });

describe('consuming through the inbox', () => {
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

  const commandQueue = () => `${harness.service}.commands`;
  const publishCommand = (body: unknown, options: Parameters<BrokerProbe['publish']>[3] = {}) =>
    probe.publish(
      'commands',
      harness.messages.RecordEffect.routingKey,
      typeof body === 'string' ? body : JSON.stringify(body),
      {
        type: 'RecordEffect',
        ...options,
      },
    );
  const effectsOf = async (key: string) =>
    (await harness.effects('command')).filter((effect) => effect.key === key);

  describe('when the same message is delivered three times', () => {
    it('changes state once and acknowledges every copy', async () => {
      const messageId = randomUUID();
      for (let copy = 0; copy < 3; copy += 1) await publishCommand({ key: 'thrice' }, { messageId });
      await waitFor('the first effect', async () => (await effectsOf('thrice')).length >= 1);
      await waitFor('the queue to empty', async () => (await probe.messageCount(commandQueue())) === 0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await effectsOf('thrice')).toHaveLength(1);
      expect(harness.attempts.get('thrice')).toBe(1);
    });
  });

  describe('when a delivery can never be handled', () => {
    it.each([
      ['malformed JSON', () => publishCommand('{"key": '), 'malformed-body'],
      ['a payload that fails validation', () => publishCommand({ key: 42 }), 'invalid-payload'],
      [
        'a type the queue does not handle',
        () => publishCommand({ key: 'x' }, { type: 'SomethingElse' }),
        'unknown-type',
      ],
      [
        'no schema version',
        () => publishCommand({ key: 'x' }, { headers: { 'x-schema-version': undefined } }),
        'unsupported-version',
      ],
    ])('parks %s in the dead-letter queue at once and keeps consuming', async (_, publish, reason) => {
      const messageId = await publish();
      const parked = await waitFor(`${reason} in the DLQ`, async () =>
        (await listDeadLetters(await connection(), harness.service)).find(
          (letter) => letter.messageId === messageId,
        ),
      );
      expect(parked).toMatchObject({ reason, attempts: 1, queue: commandQueue() });
      expect(parked.error.length).toBeGreaterThan(0);
      const key = `after-${reason}`;
      await publishCommand({ key });
      await waitFor('the next valid message to be handled', async () => (await effectsOf(key)).length === 1);
      expect(harness.attempts.get(key)).toBe(1);
    });
  });

  describe('when a handler keeps throwing', () => {
    it('retries with growing delays, parks the message with its error, and a replay handles it once', async () => {
      const times: number[] = [];
      const key = 'flaky';
      const started = Date.now();
      const messageId = await publishCommand({ key, failTimes: 3 });
      const parked = await waitFor(
        'the message in the DLQ after 3 attempts',
        async () =>
          (await listDeadLetters(await connection(), harness.service)).find(
            (letter) => letter.messageId === messageId,
          ),
        20_000,
      );
      times.push(Date.now() - started);
      expect(parked).toMatchObject({ reason: 'handler-failed', attempts: 3, queue: commandQueue() });
      expect(parked.error).toContain('injected failure 3 for flaky');
      expect(harness.attempts.get(key)).toBe(3);
      // Delays of 100 ms then 200 ms (MESSAGING_RETRY_BASE_MS=100): at least 300 ms from first to last attempt.
      expect(times[0]).toBeGreaterThanOrEqual(300);
      expect(await effectsOf(key)).toHaveLength(0);

      const listed = dlq('list', harness.service);
      expect(listed).toContain(messageId);
      expect(listed).toContain('injected failure 3 for flaky');
      expect(dlq('replay', harness.service, messageId)).toContain(
        `replayed ${messageId} (RecordEffect) to ${commandQueue()}`,
      );
      await waitFor('the replayed message to be handled', async () => (await effectsOf(key)).length === 1);
      expect(harness.attempts.get(key)).toBe(4);
      const remaining = await listDeadLetters(await connection(), harness.service);
      expect(remaining.map((letter) => letter.messageId)).not.toContain(messageId);
      expect(remaining.map((letter) => letter.reason).sort()).toEqual([
        'invalid-payload',
        'malformed-body',
        'unknown-type',
        'unsupported-version',
      ]);
    });
  });

  describe('when a message id arrives concurrently on two consumers', () => {
    it('lets exactly one of them apply it', async () => {
      const other = await startHarness({ service: harness.service, database: harness.database });
      try {
        const messageId = randomUUID();
        await Promise.all(Array.from({ length: 6 }, () => publishCommand({ key: 'raced' }, { messageId })));
        await waitFor('the effect', async () => (await effectsOf('raced')).length >= 1);
        await waitFor('the queue to empty', async () => (await probe.messageCount(commandQueue())) === 0);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(await effectsOf('raced')).toHaveLength(1);
      } finally {
        await other.close();
      }
    });
  });

  let shared: Awaited<ReturnType<typeof connect>> | undefined;
  async function connection() {
    shared ??= await connect(testRabbitmqUrl);
    return shared;
  }
  afterAll(async () => shared?.close());

  it('keeps UnitOfWork usable from HTTP-style code outside any delivery', async () => {
    await harness.app
      .get(UnitOfWork)
      .run(async ({ outbox }) =>
        outbox.add(harness.messages.RecordEffect.v1({ key: 'direct', failTimes: 0 })),
      );
    await waitFor(
      'the command sent from outside a delivery',
      async () => (await effectsOf('direct')).length === 1,
    );
  });
});
