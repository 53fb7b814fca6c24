import { z } from 'zod';

/**
 * A service's short name (its folder under apps/ without `-service`, e.g. `order`): the owner of a message and
 * the first part of its routing key. Services are not listed here: apps/<name>-service/service.json is the list.
 */
export type ServiceName = string;

/** Commands go point to point on the `commands` exchange, events fan out on `events`. */
export type MessageKind = 'command' | 'event';

const versionKey = Symbol('schemaVersion');

/** What the messaging library needs to know about a message class to route and validate it. */
export interface MessageType {
  new (payload: never): object;
  readonly kind: MessageKind;
  readonly owner: ServiceName;
  /** Wire name, the AMQP `type` property, e.g. `ReserveStock`. */
  readonly type: string;
  /** `<owner>.<type>`, e.g. `inventory.ReserveStock`. */
  readonly routingKey: string;
  readonly exchange: 'commands' | 'events';
  /** Payload schema per schema version (`x-schema-version`). */
  readonly schemas: ReadonlyMap<number, z.ZodType>;
}

/** The schema version an instance was created as (`Message.v1(...)` gives 1). */
export function schemaVersionOf(message: object): number {
  return (message as { [versionKey]?: number })[versionKey] ?? 1;
}

/** The class of a message instance, with its routing facts. */
export function messageTypeOf(message: object): MessageType {
  const type = message.constructor as Partial<MessageType>;
  if (!type.routingKey || !type.schemas) {
    throw new TypeError(`${message.constructor.name} is not a message defined in libs/contracts`);
  }
  return type as MessageType;
}

function defineMessage<S extends z.ZodObject>(kind: MessageKind, owner: ServiceName, type: string, v1: S) {
  type Payload = z.output<S>;
  class Message {
    static readonly kind = kind;
    static readonly owner = owner;
    static readonly type = type;
    static readonly routingKey = `${owner}.${type}`;
    static readonly exchange = kind === 'command' ? 'commands' : 'events';
    static readonly schemas = new Map<number, z.ZodType<Payload>>([[1, v1 as unknown as z.ZodType<Payload>]]);

    constructor(payload: Payload) {
      Object.assign(this, payload);
      Object.defineProperty(this, versionKey, { value: 1, enumerable: false });
    }

    /** Creates the message as schema version 1. */
    static v1<T>(this: new (payload: Payload) => T, payload: Payload): T {
      return new this(payload);
    }
  }
  return Message as unknown as {
    new (payload: Payload): Payload;
    v1<T>(this: new (payload: Payload) => T, payload: Payload): T;
  } & Omit<MessageType, 'schemas'> & { readonly schemas: ReadonlyMap<number, z.ZodType<Payload>> };
}

/** Base class factory for a command owned (handled) by `owner`: `class ReserveStock extends command('inventory', 'ReserveStock', schema) {}`. */
export const command = <S extends z.ZodObject>(owner: ServiceName, type: string, v1: S) =>
  defineMessage('command', owner, type, v1);

/** Base class factory for an event published by `owner`. */
export const event = <S extends z.ZodObject>(owner: ServiceName, type: string, v1: S) =>
  defineMessage('event', owner, type, v1);
