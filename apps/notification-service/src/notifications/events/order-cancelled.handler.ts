import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { OrderCancelled } from '@platform/contracts';
import { captureTraceContext, UnitOfWork } from '@platform/messaging';
import { NotificationConfig } from '../../config';
import { NotificationDispatcher } from '../delivery/notification-dispatcher';
import { cancellationText } from '../domain/order-notification-text';
import { NotificationRepository } from '../persistence/notification.repository';

/** Records the cancellation notice of an order, once; the dispatcher sends it after commit. */
@EventsHandler(OrderCancelled)
export class OrderCancelledHandler implements IEventHandler<OrderCancelled> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly notifications: NotificationRepository,
    private readonly dispatcher: NotificationDispatcher,
    private readonly config: NotificationConfig,
  ) {}

  async handle(order: OrderCancelled): Promise<void> {
    await this.unitOfWork.run(async () => {
      const added = await this.notifications.addPending(
        {
          orderId: order.orderId,
          customerId: order.customerId,
          recipient: order.customerEmail ?? null,
          type: 'ORDER_CANCELLED',
          channel: this.config.channel,
          ...cancellationText(order),
        },
        captureTraceContext(),
      );
      if (added) this.dispatcher.wakeAfterCommit();
    });
  }
}
