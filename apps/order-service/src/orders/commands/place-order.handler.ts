import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { captureTraceContext, UnitOfWork } from '@platform/messaging';
import { TransactionScope } from '@platform/persistence';
import { Order } from '../domain/order';
import { toOrderView } from '../dto/order-view.mapper';
import { OrderRepository } from '../persistence/order.repository';
import { PlaceOrder, PlaceOrderResult } from './place-order.command';
import { requestFingerprint } from './request-fingerprint';

/** Stores a new order and its ReserveStock in one transaction, or finds the order an idempotent retry meant. */
@CommandHandler(PlaceOrder)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrder> {
  private readonly logger = new Logger(PlaceOrderHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly transactions: TransactionScope,
    private readonly orders: OrderRepository,
  ) {}

  execute({ customerId, items, idempotencyKey, customerEmail }: PlaceOrder): Promise<PlaceOrderResult> {
    const fingerprint = requestFingerprint(customerId, items);
    return this.unitOfWork.run(async ({ outbox }) => {
      const { order, messages } = Order.place({
        id: randomUUID(),
        customerId,
        customerEmail,
        lines: items,
        now: new Date(),
      });
      const result = await this.orders.add(order, {
        idempotency: idempotencyKey ? { key: idempotencyKey, fingerprint } : undefined,
        traceContext: captureTraceContext(),
      });
      if (!result.added) {
        const { orderId } = result.holder;
        this.logger.debug({ msg: 'order request with a known Idempotency-Key', orderId });
        return result.holder.fingerprint === fingerprint
          ? { kind: 'replayed', orderId }
          : { kind: 'idempotency-key-reused' };
      }
      messages.forEach((message) => outbox.add(message));
      const placed = { msg: 'order placed, stock requested', orderId: order.id, lines: items.length };
      this.transactions.whenCommitted(() => this.logger.log(placed));
      return { kind: 'placed', orderId: order.id, view: toOrderView(order.state, order.newHistory) };
    });
  }
}
