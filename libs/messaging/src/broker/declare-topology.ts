import { Logger } from '@nestjs/common';
import { Channel, ChannelModel } from 'amqplib';
import {
  COMMANDS_EXCHANGE,
  deadLetterQueueArguments,
  EVENTS_EXCHANGE,
  RETRY_DELAY_HEADER,
  retryQueueArguments,
  ServiceTopology,
  workQueueArguments,
} from './topology';

const logger = new Logger('Topology');
const ACCESS_REFUSED = 403;
const PRECONDITION_FAILED = 406;

/**
 * Declares what a service owns (shared exchanges, its work queues and bindings, retry queues, DLQ), then,
 * where its broker user is allowed to, every other service's work queues and bindings too, so nothing this
 * service publishes can miss a subscriber that has not started yet. A deployment that gives each service
 * rights on its own queues only declares the whole system up front (broker definitions), and the other
 * services' part is skipped. Idempotent: every replica runs it at start and after each reconnect.
 */
export async function declareTopology(
  connection: ChannelModel,
  own: ServiceTopology,
  others: ServiceTopology[],
): Promise<void> {
  await withChannel(connection, async (channel) => {
    await declareSharedExchanges(channel);
    await channel.assertExchange(own.retryExchange, 'headers', { durable: true });
    await declareWorkQueues(channel, own).catch((error: Error) => {
      throw explainMismatch(error, own);
    });
    for (const { name, delayMs } of own.retryQueues) {
      await channel.assertQueue(name, { durable: true, arguments: retryQueueArguments(delayMs) });
      await channel.bindQueue(name, own.retryExchange, '', {
        'x-match': 'all',
        [RETRY_DELAY_HEADER]: String(delayMs),
      });
    }
  });
  await removeUnconsumedQueues(connection, own);
  await withChannel(connection, async (channel) => {
    for (const other of others) {
      try {
        await declareWorkQueues(channel, other);
      } catch (error) {
        const code = (error as { code?: number }).code;
        if (code === ACCESS_REFUSED) {
          logger.debug(`not allowed to declare ${other.service}'s queues: the deployment declares them`);
          return;
        }
        if (code !== PRECONDITION_FAILED) throw error;
        logger.warn(`${other.service}'s queues differ from this version's: ${(error as Error).message}`);
        return;
      }
    }
  });
}

/**
 * Declares the shared exchanges and every service's work queues, dead-letter queue and bindings: what a
 * deployment creates before any service starts (retry queues are each service's own business).
 */
export async function declareSystemTopology(
  connection: ChannelModel,
  services: ServiceTopology[],
): Promise<void> {
  await withChannel(connection, async (channel) => {
    await declareSharedExchanges(channel);
    for (const service of services) {
      await declareWorkQueues(channel, service).catch((error: Error) => {
        throw explainMismatch(error, service);
      });
    }
  });
}

async function declareSharedExchanges(channel: Channel): Promise<void> {
  await channel.assertExchange(COMMANDS_EXCHANGE, 'direct', { durable: true });
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
}

async function declareWorkQueues(channel: Channel, topology: ServiceTopology): Promise<void> {
  await channel.assertQueue(topology.deadLetterQueue, { durable: true, arguments: deadLetterQueueArguments });
  for (const queue of topology.workQueues) {
    await channel.assertQueue(queue.name, {
      durable: true,
      arguments: workQueueArguments(topology.deadLetterQueue),
    });
    for (const key of queue.routingKeys) await channel.bindQueue(queue.name, queue.exchange, key);
  }
}

/**
 * A work queue this version no longer consumes would hold whatever reaches it forever: an empty one is
 * deleted, one that holds messages is left for an operator to look at.
 */
async function removeUnconsumedQueues(connection: ChannelModel, topology: ServiceTopology): Promise<void> {
  const consumed = new Set(topology.workQueues.map((queue) => queue.name));
  for (const name of [`${topology.service}.commands`, `${topology.service}.events`]) {
    if (consumed.has(name)) continue;
    // Quorum queues refuse delete-if-empty/if-unused (and the refusal closes the connection), so look first.
    const found = await withChannel(connection, (channel) => channel.checkQueue(name)).catch(() => undefined);
    if (!found) continue;
    if (found.messageCount > 0 || found.consumerCount > 0) {
      logger.warn(
        `${name} is not consumed by ${topology.service} any more but holds ${found.messageCount} messages ` +
          `and has ${found.consumerCount} consumers: look at them, then delete it`,
      );
      continue;
    }
    await withChannel(connection, (channel) => channel.deleteQueue(name));
  }
}

function explainMismatch(error: Error, topology: ServiceTopology): Error {
  if ((error as { code?: number }).code !== PRECONDITION_FAILED) return error;
  const names = [topology.deadLetterQueue, ...topology.workQueues.map((queue) => queue.name)].join(', ');
  return new Error(
    `RabbitMQ refused ${topology.service}'s queues (${names}) as declared with other arguments, e.g. by an ` +
      `older version: ${error.message}. Let the queue drain, delete it (rabbitmqctl delete_queue <name>) ` +
      `and start again; tunable settings such as the delivery limit now live in a policy.`,
    { cause: error },
  );
}

async function withChannel<T>(connection: ChannelModel, work: (channel: Channel) => Promise<T>): Promise<T> {
  const channel = await connection.createChannel();
  // A refused declaration closes the channel with an error; the awaited call rejects with it.
  channel.on('error', () => undefined);
  try {
    return await work(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}
