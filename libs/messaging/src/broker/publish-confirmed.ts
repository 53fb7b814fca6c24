import { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';

const returnedIds = new WeakMap<ConfirmChannel, Set<string>>();

function returnsOf(channel: ConfirmChannel): Set<string> {
  let returned = returnedIds.get(channel);
  if (!returned) {
    const ids = new Set<string>();
    returned = ids;
    returnedIds.set(channel, ids);
    // RabbitMQ sends basic.return before the basic.ack of the same message, so the confirm callback sees it.
    channel.on('return', (message: ConsumeMessage) => {
      if (message.properties.messageId) ids.add(message.properties.messageId);
    });
  }
  return returned;
}

/** RabbitMQ refused to take a message (basic.nack): the queue could not accept it, e.g. it had no leader. */
export class PublishNacked extends Error {
  constructor() {
    super('message nacked by RabbitMQ');
    this.name = 'PublishNacked';
  }
}

/**
 * Publishes on a confirm channel and resolves once the broker has taken responsibility for the message.
 * Rejects when the broker nacks it, the channel closes first, or, with `mandatory`, no queue was bound
 * to take it (a returned message is a failure, not a success). Needs `messageId` when `mandatory`.
 */
export function publishConfirmed(
  channel: ConfirmChannel,
  exchange: string,
  routingKey: string,
  body: Buffer,
  options: Options.Publish,
): Promise<void> {
  const returned = returnsOf(channel);
  const id = options.messageId;
  return new Promise((resolve, reject) => {
    try {
      channel.publish(exchange, routingKey, body, options, (error) => {
        if (error) {
          const nacked = !(error instanceof Error) || /nack/i.test(error.message);
          return reject(nacked ? new PublishNacked() : error);
        }
        if (id && returned.delete(id)) {
          return reject(
            new Error(`unroutable: no queue is bound to ${exchange} with routing key ${routingKey}`),
          );
        }
        resolve();
      });
    } catch (error) {
      reject(error as Error);
    }
  });
}
