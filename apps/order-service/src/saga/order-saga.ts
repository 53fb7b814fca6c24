import { Injectable, Logger } from '@nestjs/common';
import { Outbox, UnitOfWork } from '@platform/messaging';
import { TransactionScope } from '@platform/persistence';
import { Order } from '../orders/domain/order';
import { endsSaga, OrderTransition } from '../orders/domain/order-transition';
import { OrderRepository } from '../orders/persistence/order.repository';
import { sagaDuration } from './saga.metrics';
import { transitionLog } from './transition-log';

/**
 * The saga's process manager: it keeps no state of its own, every step loads the order, lets the aggregate
 * decide, stores the result and records the messages to send, all in one transaction.
 */
@Injectable()
export class OrderSaga {
  private readonly logger = new Logger(OrderSaga.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderRepository,
    private readonly transactions: TransactionScope,
  ) {}

  /** Locks the order a reply is about and applies `step` to it. */
  advance(orderId: string, step: (order: Order, now: Date) => OrderTransition): Promise<void> {
    return this.unitOfWork.run(async ({ outbox }) => {
      const order = await this.orders.lock(orderId);
      if (!order) {
        throw new Error(`no order ${orderId}: the reply is about an order this service never placed`);
      }
      const now = new Date();
      await this.store(order, step(order, now), outbox, now);
    });
  }

  /**
   * Stores what a transition changed and records its messages, in the open unit of work; says what happened
   * in the log once that commits.
   */
  async store(order: Order, transition: OrderTransition, outbox: Outbox, now: Date): Promise<void> {
    if (order.newHistory.length > 0) await this.orders.save(order);
    transition.messages.forEach((message) => outbox.add(message));
    const { level, line } = transitionLog(order, transition);
    this.transactions.whenCommitted(() => this.logger[level](line));
    if (endsSaga(transition)) {
      const seconds = (now.getTime() - order.state.createdAt.getTime()) / 1000;
      this.transactions.current?.afterCommit(() =>
        sagaDuration.observe({ outcome: transition.kind }, seconds),
      );
    }
  }
}
