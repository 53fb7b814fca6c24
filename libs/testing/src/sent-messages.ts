/** What a service under test sent, as a ServiceHarness captures it from the broker. */
import { ConsumeMessage } from 'amqplib';
import { consumers, MessageType } from '@platform/contracts';
import { COMMANDS_EXCHANGE, EVENTS_EXCHANGE } from '@platform/messaging';
import { BrokerProbe, Listener } from './broker-probe';
import { sleep, waitFor } from './wait-for';

/** The payload of a message class from libs/contracts, e.g. `PayloadOf<typeof PaymentCaptured>`. */
export type PayloadOf<T extends MessageType> = T extends new (payload: infer P) => unknown ? P : never;

/** One message a service published (an event) or sent (a command), as it was on the wire. */
export interface SentMessage<P = Record<string, unknown>> {
  /** The AMQP `type` property, e.g. `PaymentCaptured`. */
  type: string;
  exchange: string;
  routingKey: string;
  messageId: string;
  correlationId?: string;
  /** The AMQP `user-id`: the broker user it was published as, which RabbitMQ validated. */
  userId?: string;
  /** The message whose handling produced this one (`x-causation-id`). */
  causationId?: string;
  /** Its `x-schema-version`; undefined if it has none, which a consumer dead-letters (it is not read as 1). */
  schemaVersion?: number;
  /** The body parsed as JSON, as sent (not passed through the contract's schema); undefined if not JSON. */
  payload: P;
  headers: Record<string, unknown>;
  /** The trace it belongs to, from its `traceparent` header, when the service traces. */
  traceId?: string;
}

/** How the shared exchanges are declared (libs/messaging declares them the same way: SPEC section 4). */
const EXCHANGE_TYPES = { [COMMANDS_EXCHANGE]: 'direct', [EVENTS_EXCHANGE]: 'topic' } as const;

/** Which sent messages of a type a test looks for. */
export type SentMatcher<T extends MessageType> = (
  payload: PayloadOf<T>,
  message: SentMessage<PayloadOf<T>>,
) => boolean;

/**
 * Everything one service sends from the moment it is created: a temporary queue bound to the service's own
 * events (`<service>.*` on `events`) and to every command of another service (each routing key on its own,
 * `commands` being a direct exchange), decoded in arrival order.
 */
export class SentMessages {
  private readonly decoded: SentMessage[] = [];

  private constructor(
    private readonly app: string,
    private readonly capture: Listener,
    private readonly isOwnPublish: (messageId: string) => boolean,
  ) {}

  /** Starts capturing what `service` (short name) sends; `isOwnPublish` leaves out what the test published. */
  static async capture(
    probe: BrokerProbe,
    service: string,
    app: string,
    isOwnPublish: (messageId: string) => boolean,
  ): Promise<SentMessages> {
    const commands = Object.values(consumers)
      .flatMap((consumption) => consumption.commands ?? [])
      .filter((type) => type.owner !== service)
      .map((type) => type.routingKey);
    // On a fresh virtual host nothing has declared them yet; binding to a missing exchange would fail.
    const channel = await probe.channel();
    for (const [exchange, type] of Object.entries(EXCHANGE_TYPES)) {
      await channel.assertExchange(exchange, type, { durable: true });
    }
    await channel.close();
    const capture = await probe.listenTo([
      { exchange: EVENTS_EXCHANGE, routingKey: `${service}.*` },
      ...[...new Set(commands)].map((routingKey) => ({ exchange: COMMANDS_EXCHANGE, routingKey })),
    ]);
    return new SentMessages(app, capture, isOwnPublish);
  }

  /** What was captured so far, optionally of one type. */
  of(type?: MessageType): SentMessage[] {
    for (const delivery of this.capture.messages.slice(this.decoded.length)) {
      this.decoded.push(decode(delivery));
    }
    return this.decoded.filter(
      (message) => !this.isOwnPublish(message.messageId) && (!type || message.type === type.type),
    );
  }

  /** The first captured message of `type` that matches, once there is one. */
  async waitFor<T extends MessageType>(
    type: T,
    matches: SentMatcher<T>,
    timeoutMs: number,
  ): Promise<SentMessage<PayloadOf<T>>> {
    const ofType = () => this.of(type) as Array<SentMessage<PayloadOf<T>>>;
    try {
      return await waitFor(
        `${this.app} to send a matching ${type.type}`,
        () => ofType().find((message) => matches(message.payload, message)),
        timeoutMs,
        20,
      );
    } catch (error) {
      const others = ofType().map((message) => JSON.stringify(message.payload));
      throw new Error(
        `${(error as Error).message}; it sent ${others.length} ${type.type} that did not match` +
          (others.length ? `: ${others.slice(0, 10).join(', ')}` : ''),
        { cause: error },
      );
    }
  }

  /** Fails as soon as a message of `type` that matches has been captured, or after `forMs` resolves. */
  async expectNone<T extends MessageType>(type: T, matches: SentMatcher<T>, forMs: number): Promise<void> {
    const deadline = Date.now() + forMs;
    for (;;) {
      const found = (this.of(type) as Array<SentMessage<PayloadOf<T>>>).filter((message) =>
        matches(message.payload, message),
      );
      if (found.length > 0) {
        const payloads = found.map((message) => JSON.stringify(message.payload));
        throw new Error(
          `${this.app} sent ${found.length} ${type.type} that it should not have: ${payloads.join(', ')}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) return;
      await sleep(Math.min(left, 20));
    }
  }

  /** Ids of everything captured. */
  ids(): Set<string> {
    return new Set(this.of().map((message) => message.messageId));
  }

  stop(): Promise<void> {
    return this.capture.stop();
  }
}

function decode(delivery: ConsumeMessage): SentMessage {
  const { properties, fields, content } = delivery;
  const headers = (properties.headers ?? {}) as Record<string, unknown>;
  const traceparent = typeof headers.traceparent === 'string' ? headers.traceparent : '';
  return {
    type: String(properties.type),
    exchange: fields.exchange,
    routingKey: fields.routingKey,
    messageId: String(properties.messageId),
    correlationId: properties.correlationId,
    userId: properties.userId,
    causationId: typeof headers['x-causation-id'] === 'string' ? headers['x-causation-id'] : undefined,
    schemaVersion:
      headers['x-schema-version'] === undefined ? undefined : Number(headers['x-schema-version']),
    payload: parseJson(content),
    headers,
    traceId: traceparent.split('-')[1] || undefined,
  };
}

function parseJson(content: Buffer) {
  try {
    return JSON.parse(content.toString('utf8'));
  } catch {
    return undefined;
  }
}
