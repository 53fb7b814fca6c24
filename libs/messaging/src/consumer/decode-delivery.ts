import { ConsumeMessage } from 'amqplib';
import { MessageType } from '@platform/contracts';

/** Bodies above this size are refused without parsing. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A delivery that passed the boundary checks, as an instance of its contract class. */
export interface DecodedMessage {
  ok: true;
  type: MessageType;
  message: object;
  messageId: string;
  correlationId?: string;
}

/** Why a delivery cannot be handled however often it is retried. */
export interface RejectedDelivery {
  ok: false;
  reason:
    | 'invalid-envelope'
    | 'unknown-type'
    | 'unsupported-version'
    | 'too-large'
    | 'malformed-body'
    | 'invalid-payload';
  error: string;
}

/**
 * Checks a delivery at the boundary: envelope, known type, supported schema version, size, JSON, payload
 * schema. Pure, so every rejection path is unit-tested without a broker.
 */
export function decodeDelivery(
  delivery: Pick<ConsumeMessage, 'content' | 'properties'>,
  handled: ReadonlyMap<string, MessageType>,
): DecodedMessage | RejectedDelivery {
  const { messageId, type: typeName, correlationId, headers } = delivery.properties;
  if (typeof messageId !== 'string' || !uuid.test(messageId)) {
    return {
      ok: false,
      reason: 'invalid-envelope',
      error: `messageId must be a UUID, got ${String(messageId)}`,
    };
  }
  const type = typeof typeName === 'string' ? handled.get(typeName) : undefined;
  if (!type)
    return {
      ok: false,
      reason: 'unknown-type',
      error: `this queue does not handle type ${String(typeName)}`,
    };
  const version = Number(headers?.['x-schema-version'] ?? 1);
  const schema = type.schemas.get(version);
  if (!schema) {
    return {
      ok: false,
      reason: 'unsupported-version',
      error: `${type.type} has no schema version ${String(version)}`,
    };
  }
  if (delivery.content.length > MAX_MESSAGE_BYTES) {
    return {
      ok: false,
      reason: 'too-large',
      error: `body of ${delivery.content.length} bytes exceeds ${MAX_MESSAGE_BYTES}`,
    };
  }
  let body: unknown;
  try {
    body = JSON.parse(delivery.content.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: 'malformed-body', error: `body is not JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`,
    );
    return { ok: false, reason: 'invalid-payload', error: problems.join('; ') };
  }
  return {
    ok: true,
    type,
    message: new type(parsed.data as never),
    messageId,
    correlationId: typeof correlationId === 'string' ? correlationId : undefined,
  };
}
