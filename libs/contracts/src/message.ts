import { z } from 'zod';

/**
 * A service's short name (its folder under apps/ without `-service`, e.g. `order`): the owner of a message and
 * the first part of its routing key. Services are not listed here: apps/<name>-service/service.json is the list.
 */
export type ServiceName = string;

/** Commands go point to point on the `commands` exchange, events fan out on `events`. */
export type MessageKind = 'command' | 'event';

/** What is known about the delivery a payload came in, besides the payload; an upcast may need it. */
export interface DeliveryFacts {
  /** When the sender's outbox relay published it (`x-published-at`), if it says. */
  readonly publishedAt?: Date;
  /** When the consuming process received it. */
  readonly receivedAt: Date;
}

/** Turns a payload of one schema version into the shape of the next. */
export type Upcast<Previous, Next> = (previous: Previous, delivery: DeliveryFacts) => Next;

const versionKey = Symbol('schemaVersion');

/** The routing, schema and version facts every message class carries as statics. */
export interface MessageFacts {
  readonly kind: MessageKind;
  readonly owner: ServiceName;
  /**
   * The one service that may send it: an event's owner, or the service a command names with `sentBy`. A
   * consumer dead-letters a delivery whose broker-validated sender (AMQP `user-id`) is another (SPEC section 8).
   */
  readonly sender: ServiceName;
  /** Wire name, the AMQP `type` property, e.g. `ReserveStock`. */
  readonly type: string;
  /** `<owner>.<type>`, e.g. `inventory.ReserveStock`. */
  readonly routingKey: string;
  readonly exchange: 'commands' | 'events';
  /** Payload schema per schema version (`x-schema-version`). */
  readonly schemas: ReadonlyMap<number, z.ZodType>;
  /** The version producers send by default and handlers are given; older ones are upcast to it. */
  readonly latestVersion: number;
  /** Upcasts by the version they read: `upcasts.get(1)` turns a version 1 payload into version 2. */
  readonly upcasts: ReadonlyMap<number, Upcast<never, unknown>>;
}

/** What the messaging library needs to know about a message class to route, validate and upcast it. */
export interface MessageType extends MessageFacts {
  new (payload: never): object;
}

/** The schema version an instance was created as: `Message.v1(...)` gives 1, a decoded message the latest. */
export function schemaVersionOf(message: object): number {
  return (message as { [versionKey]?: number })[versionKey] ?? messageTypeOf(message).latestVersion;
}

/** The class of a message instance, with its routing facts. */
export function messageTypeOf(message: object): MessageType {
  const type = message.constructor as Partial<MessageType>;
  if (!type.routingKey || !type.schemas) {
    throw new TypeError(`${message.constructor.name} is not a message defined in libs/contracts`);
  }
  return type as MessageType;
}

/**
 * A payload valid for `version` of its type (checked against `type.schemas` first), brought to the latest
 * version by applying each upcast in turn: v1 to v2, v2 to v3, and so on.
 */
export function upcastToLatest(
  type: MessageType,
  version: number,
  payload: unknown,
  delivery: DeliveryFacts,
): unknown {
  let current = payload;
  for (let from = version; from < type.latestVersion; from += 1) {
    const upcast = type.upcasts.get(from);
    if (!upcast) throw new Error(`${type.type} has no upcast from version ${from}`);
    current = upcast(current as never, delivery);
  }
  return current;
}

/** `Message.vN(payload)` of the latest version: an instance of the message class, as handlers get it. */
type LatestFactory<V extends number, Payload> = {
  readonly [K in `v${V}`]: <T>(this: new (payload: Payload) => T, payload: Payload) => T;
};

/** `Message.vN(payload)` of an older version: what a producer of that version sends (tests, rolling deploys). */
type OlderFactory<V extends number, Payload> = {
  readonly [K in `v${V}`]: (payload: Payload) => Readonly<Payload>;
};

/**
 * The base class `command(...)` and `event(...)` give: instances carry the latest version's payload, and
 * `.version(n, schema, upcast)` gives the same message with version n added on top.
 */
export type MessageClass<V extends number, Payload, Older> = MessageFacts &
  Older &
  LatestFactory<V, Payload> & {
    new (payload: Payload): Payload;
    /**
     * Adds version `version` (the latest plus one), whose payload `schema` describes, and the `upcast` that turns
     * a payload of the version before into this shape. Consumers then accept both; producers send the new one.
     */
    version<N extends number, S extends z.ZodObject>(
      version: N,
      schema: S,
      upcast: Upcast<Payload, z.output<S>>,
    ): MessageClass<N, z.output<S>, Older & OlderFactory<V, Payload>>;
  };

interface VersionDefinition {
  version: number;
  schema: z.ZodType;
  upcast?: Upcast<never, unknown>;
}

function defineMessage(
  kind: MessageKind,
  owner: ServiceName,
  sender: ServiceName,
  type: string,
  versions: VersionDefinition[],
) {
  const latestVersion = versions[versions.length - 1].version;

  class Message {
    static readonly kind = kind;
    static readonly owner = owner;
    static readonly sender = sender;
    static readonly type = type;
    static readonly routingKey = `${owner}.${type}`;
    static readonly exchange = kind === 'command' ? 'commands' : 'events';
    static readonly schemas = new Map(versions.map(({ version, schema }) => [version, schema]));
    static readonly latestVersion = latestVersion;
    static readonly upcasts = new Map(
      versions.flatMap(({ version, upcast }) => (upcast ? [[version - 1, upcast] as const] : [])),
    );

    constructor(payload: object, version = latestVersion) {
      Object.assign(this, payload);
      Object.defineProperty(this, versionKey, { value: version, enumerable: false });
    }

    static version(version: number, schema: z.ZodType, upcast: Upcast<never, unknown>) {
      if (version !== latestVersion + 1) {
        throw new Error(`${owner}.${type}: version ${version} must follow the latest, ${latestVersion}`);
      }
      return defineMessage(kind, owner, sender, type, [...versions, { version, schema, upcast }]);
    }
  }

  for (const { version } of versions) {
    Object.defineProperty(Message, `v${version}`, {
      value: function create(this: new (payload: object, version: number) => object, payload: object) {
        return new this(payload, version);
      },
    });
  }
  return Message;
}

/** Options of `command(...)` and `event(...)`. */
export interface MessageOptions<V extends number> {
  /**
   * The oldest version this code reads, 1 unless older ones were deleted: once no v1 is sent any more,
   * `command(owner, type, v2Schema, { version: 2 })` keeps the wire number 2 for what was version 2.
   */
  version?: V;
}

/** Options of `command(...)`: who sends it, besides the version options. */
export interface CommandOptions<V extends number> extends MessageOptions<V> {
  /** The one service that sends this command; deliveries from any other are dead-lettered. */
  sentBy: ServiceName;
}

/**
 * Base class factory for a command owned (handled) by `owner` and sent by `sentBy`:
 * `class ReserveStock extends command('inventory', 'ReserveStock', schema, { sentBy: 'order' }) {}`, created with
 * `ReserveStock.v1({...})`.
 */
export const command = <S extends z.ZodObject, V extends number = 1>(
  owner: ServiceName,
  type: string,
  schema: S,
  { sentBy, version = 1 as V }: CommandOptions<V>,
) =>
  defineMessage('command', owner, sentBy, type, [{ version, schema }]) as unknown as MessageClass<
    V,
    z.output<S>,
    unknown
  >;

/** Base class factory for an event published by `owner`; the same options as `command`. */
export const event = <S extends z.ZodObject, V extends number = 1>(
  owner: ServiceName,
  type: string,
  schema: S,
  { version = 1 as V }: MessageOptions<V> = {},
) =>
  defineMessage('event', owner, owner, type, [{ version, schema }]) as unknown as MessageClass<
    V,
    z.output<S>,
    unknown
  >;

/**
 * The RabbitMQ user a service connects as where each service has its own (compose, Kubernetes): the sender
 * identity RabbitMQ validates in a message's `user-id`.
 */
export const brokerUserOf = (service: ServiceName): string => `${service}-service`;
