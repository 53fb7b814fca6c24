import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { BrokerProbe, distDir, uniqueSuffix } from '@platform/testing';

/** `npm run dlq -- replay <service>`, as an operator runs it (from the build). */
const dlq = (...args: string[]) =>
  spawnSync(process.execPath, [join(distDir, 'libs/messaging/src/cli/dlq.js'), ...args], {
    encoding: 'utf8',
  });

/** Replaying parked messages of a service whose queues the test declares itself, so it controls which exist. */
describe('replaying dead letters', () => {
  const service = `zz${uniqueSuffix()}`;
  const dlqName = `${service}.dlq`;
  const commands = `${service}.commands`;
  let probe: BrokerProbe;

  const ownExchange = `${service}.direct`;
  /** Declares a queue and binds it to the service's own exchange by its name, as the service does. */
  const declareOwn = async (queue: string) => {
    await probe.declareQuorumQueue(queue);
    const channel = await probe.channel();
    await channel.assertExchange(ownExchange, 'direct', { durable: true });
    await channel.bindQueue(queue, ownExchange, queue);
    await channel.close();
  };

  beforeAll(async () => {
    probe = await BrokerProbe.open();
    await declareOwn(dlqName);
  });
  afterAll(async () => {
    for (const queue of [dlqName, commands]) await probe.deleteQueue(queue).catch(() => undefined);
    const channel = await probe.channel();
    await channel.deleteExchange(ownExchange).catch(() => undefined);
    await probe.close();
  });

  /** A message as the consumer parks it: the original envelope plus the failure record. */
  const park = (originalQueue: string, extraHeaders: Record<string, unknown> = {}) =>
    probe.publish('', dlqName, JSON.stringify({ key: 'parked' }), {
      type: 'RecordEffect',
      correlationId: 'order-1',
      timestamp: 1_700_000_000,
      headers: {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'x-causation-id': 'cause-1',
        'x-schema-version': 1,
        'x-attempts': 5,
        'x-error': 'boom',
        'x-error-reason': 'handler-failed',
        'x-original-queue': originalQueue,
        'x-failed-at': new Date().toISOString(),
        'x-delivery-count': 7,
        ...extraHeaders,
      },
      messageId: randomUUID(),
    });

  describe('when the queue a message failed on no longer exists', () => {
    it('keeps it parked, says so, and exits with 1', async () => {
      const messageId = await park(commands);
      const run = dlq('replay', service, messageId);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain(`kept ${messageId}`);
      expect(run.stdout).toContain('unroutable');
      expect(await probe.messageCount(dlqName)).toBe(1);
      await probe.purge(dlqName);
    });
  });

  describe('when a parked message names another service as its origin', () => {
    it('does not send it there', async () => {
      const messageId = await park('order.events');
      const run = dlq('replay', service, messageId);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('is not a work queue of');
      expect(await probe.messageCount(dlqName)).toBe(1);
      await probe.purge(dlqName);
    });
  });

  describe('when the queue exists', () => {
    it('sends it back once with its envelope intact and only the failure record and counters reset', async () => {
      await declareOwn(commands);
      const messageId = await park(commands);
      const run = dlq('replay', service, messageId);
      expect(run.status).toBe(0);
      expect(await probe.messageCount(dlqName)).toBe(0);
      const [replayed] = await probe.drain(commands);
      expect(replayed.properties).toMatchObject({
        messageId,
        type: 'RecordEffect',
        correlationId: 'order-1',
        timestamp: 1_700_000_000,
        contentType: 'application/json',
      });
      const headers = replayed.properties.headers ?? {};
      expect(headers).toMatchObject({
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'x-causation-id': 'cause-1',
        'x-schema-version': 1,
      });
      for (const reset of ['x-attempts', 'x-error', 'x-error-reason', 'x-original-queue']) {
        expect(headers).not.toHaveProperty(reset);
      }
      // A quorum queue stamps its own count on each delivery: 0 for a message it never delivered before.
      expect(headers['x-delivery-count'] ?? 0).toBe(0);
      expect(JSON.parse(replayed.content.toString())).toEqual({ key: 'parked' });
      // Sent as the replaying user, the only user-id RabbitMQ accepts from it.
      expect(replayed.properties.userId).toBe('guest');
      expect(run.stderr).toContain('as broker user "guest"');
    });
  });

  describe("when the service's own exchange does not exist (it never started)", () => {
    it('keeps everything parked and says what to do', async () => {
      const other = `zz${uniqueSuffix()}`;
      await probe.declareQuorumQueue(`${other}.dlq`);
      try {
        await probe.publish('', `${other}.dlq`, '{}', {
          type: 'RecordEffect',
          headers: { 'x-original-queue': `${other}.commands`, 'x-schema-version': 1 },
        });
        const run = dlq('replay', other);
        expect(run.status).toBe(1);
        expect(run.stderr).toContain(`${other}.direct does not exist`);
        expect(await probe.messageCount(`${other}.dlq`)).toBe(1);
      } finally {
        await probe.deleteQueue(`${other}.dlq`).catch(() => undefined);
      }
    });
  });
});
