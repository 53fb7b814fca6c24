import { ChannelModel, GetMessage } from 'amqplib';
import { publishConfirmed } from '../broker/publish-confirmed';
import { FAILURE_HEADERS } from '../consumer/failure-headers';

/** One parked message as `npm run dlq -- list` shows it. */
export interface DeadLetter {
  messageId: string;
  type: string;
  /** `x-schema-version`: a version a service is to stop reading must not be left here. */
  schemaVersion?: number | string;
  correlationId?: string;
  queue: string;
  attempts: number;
  reason: string;
  error: string;
  failedAt?: string;
  body: string;
}

interface XDeath {
  queue?: string;
  reason?: string;
  count?: number;
}

/** Where a parked message came from: our own failure headers, else the broker's x-death record. */
function originOf(message: GetMessage): { queue: string; reason: string; error: string; attempts: number } {
  const headers = message.properties.headers ?? {};
  if (headers[FAILURE_HEADERS.queue]) {
    return {
      queue: String(headers[FAILURE_HEADERS.queue]),
      reason: String(headers[FAILURE_HEADERS.reason] ?? ''),
      error: String(headers[FAILURE_HEADERS.error] ?? ''),
      attempts: Number(headers[FAILURE_HEADERS.attempts] ?? 0),
    };
  }
  const death = (headers['x-death'] as XDeath[] | undefined)?.[0];
  return {
    queue: String(death?.queue ?? ''),
    reason: `broker: ${death?.reason ?? 'unknown'}`,
    error: 'dead-lettered by RabbitMQ (delivery limit reached or rejected)',
    attempts: Number(death?.count ?? 0),
  };
}

function describe(message: GetMessage): DeadLetter {
  const origin = originOf(message);
  return {
    messageId: String(message.properties.messageId),
    type: String(message.properties.type),
    schemaVersion: message.properties.headers?.['x-schema-version'],
    correlationId: message.properties.correlationId,
    failedAt: message.properties.headers?.[FAILURE_HEADERS.failedAt],
    body: message.content.toString('utf8').slice(0, 2000),
    ...origin,
  };
}

/** Reads every message of the queue without removing it; they go back when the channel closes. */
async function peekAll<T>(
  connection: ChannelModel,
  queue: string,
  visit: (messages: GetMessage[], ack: (m: GetMessage) => void) => Promise<T>,
): Promise<T> {
  const channel = await connection.createConfirmChannel();
  const messages: GetMessage[] = [];
  try {
    for (;;) {
      const message = await channel.get(queue, { noAck: false });
      if (!message) break;
      messages.push(message);
    }
    const result = await visit(messages, (message) => channel.ack(message));
    await channel.waitForConfirms();
    return result;
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** Lists what `<service>.dlq` holds, oldest first, leaving it there. */
export function listDeadLetters(connection: ChannelModel, service: string): Promise<DeadLetter[]> {
  return peekAll(connection, `${service}.dlq`, async (messages) => messages.map(describe));
}

/** Headers a replay removes: the failure record and the broker's delivery counters, i.e. a fresh start. */
const RESET_HEADERS = [...Object.values(FAILURE_HEADERS), 'x-death', 'x-delivery-count', 'x-acquired-count'];

/** What a replay did with one parked message. */
export interface ReplayResult {
  letter: DeadLetter;
  /** Set when the message stayed in the dead-letter queue, saying why. */
  error?: string;
}

/**
 * Sends parked messages (all, or the one with `messageId`) back to the work queue of this service they
 * failed on, with a fresh attempt count and everything else as it was (id, type, correlation, timestamp,
 * trace context). Each copy is published with `mandatory` and confirms; only a copy RabbitMQ routed and
 * confirmed removes the message from the dead-letter queue, so a replay to a queue that no longer exists
 * leaves the message parked and says so. Copies go through the service's own exchange (`<service>.direct`,
 * which routes to its queues only), not the default exchange. The copies carry `user-id` `asUser`, the connection's own user
 * (RabbitMQ allows no other): the service accepts them only from its own broker user, so replay as the
 * service (with its credentials), not as an operator.
 */
export async function replayDeadLetters(
  connection: ChannelModel,
  service: string,
  asUser: string,
  messageId?: string,
): Promise<ReplayResult[]> {
  const ownExchange = `${service}.direct`;
  const probe = await connection.createChannel();
  probe.on('error', () => undefined);
  try {
    await probe.checkExchange(ownExchange);
    await probe.close();
  } catch {
    throw new Error(
      `the exchange ${ownExchange} does not exist: start ${service}-service once (it declares it), then replay`,
    );
  }
  const publisher = await connection.createConfirmChannel();
  publisher.on('error', () => undefined);
  try {
    return await peekAll(connection, `${service}.dlq`, async (messages, ack) => {
      const results: ReplayResult[] = [];
      for (const message of messages) {
        if (messageId && message.properties.messageId !== messageId) continue;
        const letter = describe(message);
        if (!isWorkQueueOf(service, letter.queue)) {
          results.push({ letter, error: `its origin "${letter.queue}" is not a work queue of ${service}` });
          continue;
        }
        const headers = { ...(message.properties.headers ?? {}) };
        for (const name of RESET_HEADERS) delete headers[name];
        try {
          await publishConfirmed(publisher, ownExchange, letter.queue, message.content, {
            ...message.properties,
            userId: asUser,
            headers,
            persistent: true,
            mandatory: true,
          });
        } catch (error) {
          results.push({ letter, error: (error as Error).message });
          continue;
        }
        ack(message);
        results.push({ letter });
      }
      return results;
    });
  } finally {
    await publisher.close().catch(() => undefined);
  }
}

function isWorkQueueOf(service: string, queue: string): boolean {
  return queue === `${service}.commands` || queue === `${service}.events`;
}
