import { randomUUID } from 'node:crypto';
import { messageTypeOf, schemaVersionOf } from '@platform/contracts';
import { deliveryContext } from '../consumer/delivery-context';
import { NewOutboxRow } from '../persistence/outbox.store';
import { captureTraceContext } from '../trace-context';

/** Options for one recorded message. */
export interface OutboxOptions {
  /** Defaults to the handled message's correlation id, else the payload's `orderId`. */
  correlationId?: string;
}

/**
 * Messages recorded during one unit of work. They are written to the outbox table in the same transaction
 * as the work's own changes, and published by the relay only after it commits.
 */
export class Outbox {
  private readonly rows: NewOutboxRow[] = [];

  /** Records a command or event defined in libs/contracts to be sent once the work commits. */
  add(message: object, options: OutboxOptions = {}): void {
    const type = messageTypeOf(message);
    const delivery = deliveryContext.getStore();
    const payloadOrderId = (message as { orderId?: unknown }).orderId;
    this.rows.push({
      messageId: randomUUID(),
      exchange: type.exchange,
      routingKey: type.routingKey,
      type: type.type,
      schemaVersion: schemaVersionOf(message),
      correlationId:
        options.correlationId ??
        delivery?.correlationId ??
        (typeof payloadOrderId === 'string' ? payloadOrderId : null),
      causationId: delivery?.messageId ?? null,
      traceContext: captureTraceContext(),
      payload: JSON.stringify(message),
    });
  }

  /** Takes the recorded rows, leaving the outbox empty. */
  drain(): NewOutboxRow[] {
    return this.rows.splice(0, this.rows.length);
  }
}
