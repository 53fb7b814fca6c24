import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { CommandBus, IEventHandler } from '@nestjs/cqrs';
import { MessageType } from '@platform/contracts';

// Where @EventsHandler records the events of a handler. @nestjs/cqrs keeps this key internal (its dist/ files
// cannot be imported from version 12 on, which ships an exports map); message-dispatcher.spec.ts fails if it moves.
const EVENTS_HANDLER_METADATA = '__eventsHandler__';

/**
 * Hands a validated remote message to the service's ordinary @nestjs/cqrs handlers and waits for them,
 * so the consumer can commit and ack only after they finish. Commands go through the CommandBus; events
 * go to every @EventsHandler of their class in turn (the EventBus would not let us wait or see errors).
 */
@Injectable()
export class MessageDispatcher implements OnModuleInit {
  private readonly eventHandlers = new Map<Function, IEventHandler[]>(); // eslint-disable-line @typescript-eslint/no-unsafe-function-type

  constructor(
    private readonly commandBus: CommandBus,
    private readonly discovery: DiscoveryService,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.metatype || !wrapper.instance) continue;
      const events: Function[] | undefined = Reflect.getMetadata(EVENTS_HANDLER_METADATA, wrapper.metatype); // eslint-disable-line @typescript-eslint/no-unsafe-function-type
      for (const event of events ?? []) {
        this.eventHandlers.set(event, [
          ...(this.eventHandlers.get(event) ?? []),
          wrapper.instance as IEventHandler,
        ]);
      }
    }
  }

  /** Whether this service has a handler for the message type. */
  canHandle(type: MessageType): boolean {
    return type.kind === 'command' || (this.eventHandlers.get(type)?.length ?? 0) > 0;
  }

  async dispatch(type: MessageType, message: object): Promise<void> {
    if (type.kind === 'command') {
      await this.commandBus.execute(message);
      return;
    }
    const handlers = this.eventHandlers.get(type);
    if (!handlers?.length) throw new Error(`no @EventsHandler for ${type.routingKey}`);
    for (const handler of handlers) await handler.handle(message);
  }
}
