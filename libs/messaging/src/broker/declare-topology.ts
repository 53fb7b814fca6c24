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
  await ensureSharedExchanges(connection);
  await withChannel(connection, (channel) =>
    channel.assertExchange(own.retryExchange, 'headers', { durable: true }),
  );
  await declareWorkQueues(connection, own).catch((error: Error) => {
    throw explainMismatch(error, own);
  });
  for (const { name, delayMs } of own.retryQueues) {
    await assertQueueUpgrading(connection, name, retryQueueArguments(delayMs, own.ownExchange));
    await withChannel(connection, (channel) =>
      channel.bindQueue(name, own.retryExchange, '', {
        'x-match': 'all',
        [RETRY_DELAY_HEADER]: String(delayMs),
      }),
    );
  }
  await removeUnconsumedQueues(connection, own);
  for (const other of others) {
    try {
      await declareWorkQueues(connection, other);
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
}

/**
 * Declares the shared exchanges, then checks they exist when this broker user may not declare them: with
 * least privilege (compose, Kubernetes) only the deployment creates and changes them.
 */
async function ensureSharedExchanges(connection: ChannelModel): Promise<void> {
  try {
    await withChannel(connection, declareSharedExchanges);
  } catch (error) {
    if ((error as { code?: number }).code !== ACCESS_REFUSED) throw error;
    await withChannel(connection, async (channel) => {
      await channel.checkExchange(COMMANDS_EXCHANGE);
      await channel.checkExchange(EVENTS_EXCHANGE);
    }).catch((missing: Error) => {
      throw new Error(
        `the shared exchanges ${COMMANDS_EXCHANGE} and ${EVENTS_EXCHANGE} must exist, and this broker user may not ` +
          `declare them: load deploy/rabbitmq/definitions.json or run npm run topology -- apply (${missing.message})`,
      );
    });
  }
}

/** The service's own direct exchange, bound by queue name to its dead-letter and work queues. */
async function declareOwnRoutes(channel: Channel, topology: ServiceTopology): Promise<void> {
  await channel.assertExchange(topology.ownExchange, 'direct', { durable: true });
  for (const queue of [topology.deadLetterQueue, ...topology.workQueues.map((work) => work.name)]) {
    await channel.bindQueue(queue, topology.ownExchange, queue);
  }
}

/**
 * Declares the shared exchanges and every service's work queues, dead-letter queue, own exchange and
 * bindings: what a deployment creates before any service starts (retry queues are each service's own business).
 */
export async function declareSystemTopology(
  connection: ChannelModel,
  services: ServiceTopology[],
): Promise<void> {
  await withChannel(connection, declareSharedExchanges);
  for (const service of services) {
    await declareWorkQueues(connection, service).catch((error: Error) => {
      throw explainMismatch(error, service);
    });
  }
}

async function declareSharedExchanges(channel: Channel): Promise<void> {
  await channel.assertExchange(COMMANDS_EXCHANGE, 'direct', { durable: true });
  await channel.assertExchange(EVENTS_EXCHANGE, 'topic', { durable: true });
}

/** A service's dead-letter queue, work queues with their bindings, and its own exchange's routes to them. */
async function declareWorkQueues(connection: ChannelModel, topology: ServiceTopology): Promise<void> {
  await assertQueueUpgrading(connection, topology.deadLetterQueue, deadLetterQueueArguments);
  for (const queue of topology.workQueues) {
    await assertQueueUpgrading(connection, queue.name, workQueueArguments(topology));
    await withChannel(connection, async (channel) => {
      for (const key of queue.routingKeys) await channel.bindQueue(queue.name, queue.exchange, key);
    });
  }
  await withChannel(connection, (channel) => declareOwnRoutes(channel, topology));
}

/**
 * Declares a queue. One an older version declared with other arguments (RabbitMQ answers 406) is deleted and
 * declared again if it is empty and unused; otherwise the 406 stands, for explainMismatch to explain. A message
 * published meanwhile finds no queue and comes back to its relay (`mandatory`), which publishes it again.
 */
async function assertQueueUpgrading(
  connection: ChannelModel,
  name: string,
  args: Record<string, unknown>,
): Promise<void> {
  const declare = () =>
    withChannel(connection, (channel) => channel.assertQueue(name, { durable: true, arguments: args }));
  try {
    await declare();
    return;
  } catch (error) {
    if ((error as { code?: number }).code !== PRECONDITION_FAILED) throw error;
    // Quorum queues refuse delete-if-empty/if-unused (and the refusal closes the connection), so look first.
    const found = await withChannel(connection, (channel) => channel.checkQueue(name));
    if (found.messageCount > 0 || found.consumerCount > 0) throw error;
  }
  logger.warn(
    `${name} was declared with other arguments by an older version; it is empty, so it is declared again`,
  );
  await withChannel(connection, (channel) => channel.deleteQueue(name));
  await declare();
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
      `older version, and one of them holds messages or has consumers: ${error.message}. Let the queue drain, ` +
      `stop its consumers, delete it (rabbitmqctl delete_queue <name>) ` +
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
