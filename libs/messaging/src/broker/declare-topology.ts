import { ChannelModel } from 'amqplib';
import { RETRY_DELAY_HEADER, ServiceTopology } from './topology';

/**
 * Declares the exchanges, queues and bindings of one service. Idempotent: every replica runs it at start
 * and after each reconnect.
 *
 * Work queues are quorum queues with a delivery limit, dead-lettering at-least-once (which RabbitMQ
 * only allows with `reject-publish` overflow) into `<service>.dlq`. Retry queues hold a failed message for
 * their TTL, then dead-letter it through the default exchange with its routing key, which the retry
 * publisher sets to the name of the work queue it came from.
 */
export async function declareTopology(
  connection: ChannelModel,
  topology: ServiceTopology,
  deliveryLimit: number,
): Promise<void> {
  const channel = await connection.createChannel();
  try {
    const quorum = (extra: Record<string, unknown> = {}) => ({
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-overflow': 'reject-publish',
        'x-dead-letter-strategy': 'at-least-once',
        ...extra,
      },
    });
    const toDeadLetterQueue = {
      'x-dead-letter-exchange': '',
      'x-dead-letter-routing-key': topology.deadLetterQueue,
    };
    await channel.assertExchange(topology.commandsExchange, 'direct', { durable: true });
    await channel.assertExchange(topology.eventsExchange, 'topic', { durable: true });
    await channel.assertExchange(topology.retryExchange, 'headers', { durable: true });
    await channel.assertQueue(topology.deadLetterQueue, {
      durable: true,
      arguments: { 'x-queue-type': 'quorum' },
    });
    for (const queue of [topology.commandQueue, topology.eventQueue]) {
      await channel.assertQueue(queue, quorum({ 'x-delivery-limit': deliveryLimit, ...toDeadLetterQueue }));
    }
    for (const key of topology.commandBindings) {
      await channel.bindQueue(topology.commandQueue, topology.commandsExchange, key);
    }
    for (const key of topology.eventBindings) {
      await channel.bindQueue(topology.eventQueue, topology.eventsExchange, key);
    }
    for (const { name, delayMs } of topology.retryQueues) {
      await channel.assertQueue(name, quorum({ 'x-message-ttl': delayMs, 'x-dead-letter-exchange': '' }));
      await channel.bindQueue(name, topology.retryExchange, '', {
        'x-match': 'all',
        [RETRY_DELAY_HEADER]: String(delayMs),
      });
    }
  } finally {
    await channel.close().catch(() => undefined);
  }
}
