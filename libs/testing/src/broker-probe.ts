import { randomUUID } from 'node:crypto';
import { Channel, ChannelModel, connect, ConsumeMessage, GetMessage, Options } from 'amqplib';
import { brokerUserIn, publishConfirmed } from '@platform/messaging';

/** Messages collected from a queue as they arrive, until `stop`. */
export interface Listener {
  readonly messages: ConsumeMessage[];
  stop(): Promise<void>;
}

/**
 * The RabbitMQ tests run against: TEST_RABBITMQ_URL, else RABBITMQ_URL (what the services started by the
 * tests use too, so a run on its own virtual host needs only that one), else the local default.
 */
export const testRabbitmqUrl =
  process.env.TEST_RABBITMQ_URL ?? process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A raw AMQP client for tests: publish anything (including garbage), read queues, clean up. */
export class BrokerProbe {
  /** The broker user it connects as: the `user-id` its publishes carry unless told otherwise. */
  readonly user: string;

  private constructor(
    private readonly connection: ChannelModel,
    url: string,
  ) {
    this.user = brokerUserIn(url);
    // A probe outlives what it pokes at (restarts, deleted queues): its errors are the test's to read, not crashes.
    connection.on('error', () => undefined);
  }

  /** Connects to the test broker, or to `url` (another node or virtual host). */
  static async open(url = testRabbitmqUrl): Promise<BrokerProbe> {
    return new BrokerProbe(await connect(url), url);
  }

  /** A channel of its own for what the helpers here do not cover; its errors are left to the caller's calls. */
  async channel(): Promise<Channel> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    return channel;
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }

  /**
   * Publishes raw bytes with confirms; by default a valid envelope for `type` in schema version 1, sent as
   * the probe's own broker user (`headers` add to that; `'x-schema-version': undefined` sends none).
   */
  async publish(
    exchange: string,
    routingKey: string,
    body: string | Buffer,
    options: Options.Publish = {},
  ): Promise<string> {
    const messageId = options.messageId ?? randomUUID();
    await this.publishAsIs(exchange, routingKey, body, {
      contentType: 'application/json',
      persistent: true,
      userId: this.user,
      ...options,
      headers: { 'x-schema-version': 1, ...(options.headers ?? {}) },
      messageId,
    });
    return messageId;
  }

  /**
   * Publishes with confirms and exactly the properties given, nothing added (forged or malformed input).
   * With `mandatory` and a `messageId`, a message no queue takes is an error rather than silently dropped.
   */
  async publishAsIs(
    exchange: string,
    routingKey: string,
    body: string | Buffer,
    options: Options.Publish = {},
  ): Promise<void> {
    const channel = await this.connection.createConfirmChannel();
    channel.on('error', () => undefined);
    try {
      await publishConfirmed(
        channel,
        exchange,
        routingKey,
        Buffer.isBuffer(body) ? body : Buffer.from(body),
        options,
      );
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Takes every message currently in a queue, acknowledging them. */
  async drain(queue: string): Promise<GetMessage[]> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    const messages: GetMessage[] = [];
    try {
      for (;;) {
        const message = await channel.get(queue, { noAck: true });
        if (!message) return messages;
        messages.push(message);
      }
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Empties queues that may hold leftovers of earlier runs; missing queues are ignored. */
  async purge(...queues: string[]): Promise<void> {
    for (const queue of queues) {
      const channel = await this.connection.createChannel();
      channel.on('error', () => undefined);
      await channel.purgeQueue(queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  }

  async messageCount(queue: string): Promise<number> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      return (await channel.checkQueue(queue)).messageCount;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Creates a temporary queue bound to an exchange and collects what arrives on it. */
  listen(exchange: string, routingKey: string): Promise<Listener> {
    return this.listenTo([{ exchange, routingKey }]);
  }

  /** One temporary queue bound to every binding given, collecting what arrives on it in arrival order. */
  async listenTo(bindings: Array<{ exchange: string; routingKey: string }>): Promise<Listener> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    for (const { exchange, routingKey } of bindings) await channel.bindQueue(queue, exchange, routingKey);
    return this.collect(channel, queue);
  }

  /** Takes (and acknowledges) every message that reaches an existing queue from now on, collecting them. */
  async take(queue: string): Promise<Listener> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    return this.collect(channel, queue);
  }

  private async collect(channel: Channel, queue: string): Promise<Listener> {
    const messages: ConsumeMessage[] = [];
    await channel.consume(queue, (message) => message && messages.push(message), { noAck: true });
    return { messages, stop: () => channel.close().catch(() => undefined) };
  }

  /** Declares a durable quorum queue with no other arguments (a dead-letter queue's shape). */
  async declareQuorumQueue(queue: string): Promise<void> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      await channel.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async deleteQueue(queue: string): Promise<void> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      await channel.deleteQueue(queue);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /** Deletes queues and exchanges a test service declared (`<service>.*`). */
  async deleteServiceTopology(service: string, retryDelays: number[]): Promise<void> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      for (const queue of ['commands', 'events', 'dlq', ...retryDelays.map((delay) => `retry.${delay}`)]) {
        await channel.deleteQueue(`${service}.${queue}`);
      }
      await channel.deleteExchange(`${service}.retry`);
    } finally {
      await channel.close().catch(() => undefined);
    }
  }
}
