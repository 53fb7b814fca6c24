import { connect } from 'amqplib';
import { PublisherConnection } from '@platform/messaging';
import { BrokerProbe, testRabbitmqUrl, waitFor } from '@platform/testing';
import { BrokerPublisher } from '../src/broker/broker-publisher';
import { destroyHarness, Harness, startHarness } from './messaging-harness';

/**
 * A publish RabbitMQ refuses (a nack, here from a full queue that rejects publishes) rebuilds the publishing
 * connection, at most once per 5 s: in a cluster, a channel whose queue's leader died went on being refused
 * until it was reopened (docs/scaling.md). Deterministic stand-in for that case, which `npm run test:cluster`
 * reaches only when a connection happens to land on the node it needs.
 */
describe('a publish RabbitMQ nacks', () => {
  let probe: BrokerProbe;
  let harness: Harness;
  let fullQueue: string;
  let openQueue: string;

  beforeAll(async () => {
    probe = await BrokerProbe.open();
    harness = await startHarness();
    fullQueue = `${harness.service}.full`;
    openQueue = `${harness.service}.open`;
    const admin = await connect(testRabbitmqUrl);
    try {
      const channel = await admin.createConfirmChannel();
      const reject = { 'x-queue-type': 'quorum', 'x-max-length': 1, 'x-overflow': 'reject-publish' };
      await channel.assertQueue(fullQueue, { durable: true, arguments: reject });
      await channel.assertQueue(openQueue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
      // A quorum queue enforces its limit once it is over it, so it may take one message more: fill it
      // until it refuses.
      let refused = false;
      for (let attempt = 0; attempt < 5 && !refused; attempt += 1) {
        refused = await new Promise<boolean>((resolve) =>
          channel.sendToQueue(fullQueue, Buffer.from('filler'), { persistent: true }, (error) =>
            resolve(Boolean(error)),
          ),
        );
      }
      if (!refused) throw new Error(`${fullQueue} never refused a publish; reject-publish did not apply`);
    } finally {
      await admin.close();
    }
  });

  afterAll(async () => {
    await probe.deleteQueue(fullQueue).catch(() => undefined);
    await probe.deleteQueue(openQueue).catch(() => undefined);
    await destroyHarness(harness, probe);
    await probe.close();
  });

  it('fails that publish, rebuilds the connection once, and publishes again on the new one', async () => {
    const publisher = harness.app.get(BrokerPublisher);
    const connection = harness.app.get(PublisherConnection);
    let rebuilds = 0;
    connection.on('disconnected', () => (rebuilds += 1));
    const publish = (queue: string) =>
      publisher.publish('', queue, Buffer.from('{}'), { persistent: true, contentType: 'application/json' });

    await expect(publish(fullQueue)).rejects.toMatchObject({ name: 'PublishNacked' });
    await waitFor(
      'the publishing connection to be rebuilt',
      () => rebuilds === 1 && publisher.canPublish,
      10_000,
    );

    // A second refusal within 5 s is reported, but does not rebuild the connection again.
    await expect(publish(fullQueue)).rejects.toMatchObject({ name: 'PublishNacked' });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(rebuilds).toBe(1);

    await publish(openQueue);
    expect(await probe.messageCount(openQueue)).toBe(1);
  });
});
