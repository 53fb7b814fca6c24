import { randomUUID } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@platform/messaging';
import { OrderConfig } from '../../config';
import { captureTraceContext } from '@platform/messaging';
import { Order } from '../domain/order';
import { OrderRepository } from '../persistence/order.repository';
import { PlaceOrder, PlaceOrderResult } from './place-order.command';
import { requestFingerprint } from './request-fingerprint';

/** Stores a new order and its ReserveStock in one transaction, or finds the order an idempotent retry meant. */
@CommandHandler(PlaceOrder)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrder> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderRepository,
    private readonly config: OrderConfig,
  ) {}

  execute({ customerId, items, idempotencyKey }: PlaceOrder): Promise<PlaceOrderResult> {
    const fingerprint = requestFingerprint(customerId, items);
    return this.unitOfWork.run(async ({ outbox }) => {
      const { order, messages } = Order.place({
        id: randomUUID(),
        customerId,
        lines: items,
        now: new Date(),
        stepTimeoutMs: this.config.sagaStepTimeoutMs,
      });
      const result = await this.orders.add(order, {
        idempotency: idempotencyKey ? { key: idempotencyKey, fingerprint } : undefined,
        traceContext: captureTraceContext(),
      });
      if (!result.added) {
        return result.holder.fingerprint === fingerprint
          ? { kind: 'replayed', orderId: result.holder.orderId }
          : { kind: 'idempotency-key-reused' };
      }
      messages.forEach((message) => outbox.add(message));
      return { kind: 'placed', orderId: order.id };
    });
  }
}
