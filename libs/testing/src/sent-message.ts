/** Messages a service under test sent, as a ServiceHarness captured them from the broker. */
import { ConsumeMessage } from 'amqplib';
import { MessageType } from '@platform/contracts';

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
  /** The message whose handling produced this one (`x-causation-id`). */
  causationId?: string;
  schemaVersion: number;
  /** The body parsed as JSON, as sent (not passed through the contract's schema); undefined if not JSON. */
  payload: P;
  headers: Record<string, unknown>;
  /** The trace it belongs to, from its `traceparent` header, when the service traces. */
  traceId?: string;
}

/** Decodes a captured delivery. */
export function toSentMessage(delivery: ConsumeMessage): SentMessage {
  const { properties, fields, content } = delivery;
  const headers = (properties.headers ?? {}) as Record<string, unknown>;
  const traceparent = typeof headers.traceparent === 'string' ? headers.traceparent : '';
  return {
    type: String(properties.type),
    exchange: fields.exchange,
    routingKey: fields.routingKey,
    messageId: String(properties.messageId),
    correlationId: properties.correlationId,
    causationId: typeof headers['x-causation-id'] === 'string' ? headers['x-causation-id'] : undefined,
    schemaVersion: Number(headers['x-schema-version'] ?? 1),
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
