import { ConsumeMessage } from 'amqplib';
import { brokerUserOf, DeliveryFacts, MessageType, upcastToLatest } from '@platform/contracts';
import { publishedAtOf } from './delivery-context';

/** Bodies above this size are refused without parsing. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A delivery that passed the boundary checks, as an instance of its contract class in its latest version. */
export interface DecodedMessage extends DeliveryFacts {
  ok: true;
  type: MessageType;
  message: object;
  /** The schema version it was sent in (`x-schema-version`), before any upcast. */
  version: number;
  messageId: string;
  correlationId?: string;
}

/** Why a delivery cannot be handled however often it is retried. */
export interface RejectedDelivery {
  ok: false;
  reason:
    | 'invalid-envelope'
    | 'unknown-type'
    | 'unexpected-sender'
    | 'unsupported-version'
    | 'too-large'
    | 'malformed-body'
    | 'invalid-payload'
    | 'upcast-failed';
  error: string;
}

/**
 * Checks a delivery at the boundary: envelope, known type, sender, supported schema version, size, JSON,
 * payload schema of the version it was sent in; then upcasts the payload to the type's latest version, so
 * handlers only ever see that. Pure but for `receivedAt`, so every rejection path is unit-tested without a broker.
 *
 * The sender is the AMQP `user-id`, which RabbitMQ checks against the publishing connection's user: it must be
 * the broker user of the service the contract names (`brokerUserOf(type.sender)`), or `ownUser`, the consumer's
 * own (its retry copies and replayed dead letters, which only it can publish under its name). Where every
 * service shares one broker user (a development host), everything comes as `ownUser`: the check then only
 * proves the message came through a connection with the platform's login.
 */
export function decodeDelivery(
  delivery: Pick<ConsumeMessage, 'content' | 'properties'>,
  handled: ReadonlyMap<string, MessageType>,
  receivedAt = new Date(),
  ownUser?: string,
): DecodedMessage | RejectedDelivery {
  const { messageId, type: typeName, correlationId, headers, userId } = delivery.properties;
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
  const expected = brokerUserOf(type.sender);
  if (userId !== expected && (ownUser === undefined || userId !== ownUser)) {
    const got = typeof userId === 'string' && userId !== '' ? `user-id "${userId}"` : 'no user-id';
    return {
      ok: false,
      reason: 'unexpected-sender',
      error: `${type.type} is sent only by ${type.sender}-service (user-id "${expected}"), this came with ${got}`,
    };
  }
  const header: unknown = headers?.['x-schema-version'];
  const version = schemaVersionIn(header);
  const schema = version === undefined ? undefined : type.schemas.get(version);
  if (version === undefined || !schema) {
    const sent =
      header === undefined || header === null
        ? 'no x-schema-version header'
        : `x-schema-version ${String(header)}`;
    return {
      ok: false,
      reason: 'unsupported-version',
      error: `${type.type} came with ${sent}; this service reads versions ${[...type.schemas.keys()].join(', ')}`,
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
  const facts = { publishedAt: publishedAtOf(headers), receivedAt };
  let latest: unknown;
  try {
    latest = upcastToLatest(type, version, parsed.data, facts);
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    const upcast = `upcasting ${type.type} from version ${version} to ${type.latestVersion} failed`;
    return { ok: false, reason: 'upcast-failed', error: `${upcast}: ${cause}` };
  }
  return {
    ok: true,
    type,
    message: new type(latest as never),
    version,
    messageId,
    correlationId: typeof correlationId === 'string' ? correlationId : undefined,
    ...facts,
  };
}

/** The version a header states, as a number (AMQP clients and tools send it as a number or a digit string). */
function schemaVersionIn(header: unknown): number | undefined {
  if (typeof header === 'number' && Number.isSafeInteger(header)) return header;
  if (typeof header === 'string' && /^\d{1,9}$/.test(header)) return Number(header);
  return undefined;
}
