import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { OrderConfirmed } from '@platform/contracts';
import { captureTraceContext, UnitOfWork } from '@platform/messaging';
import { NotificationConfig } from '../../config';
import { NotificationDispatcher } from '../delivery/notification-dispatcher';
import { confirmationText } from '../domain/order-notification-text';
import { NotificationRepository } from '../persistence/notification.repository';

/** Records the confirmation notice of an order, once; the dispatcher sends it after commit. */
@EventsHandler(OrderConfirmed)
export class OrderConfirmedHandler implements IEventHandler<OrderConfirmed> {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly notifications: NotificationRepository,
    private readonly dispatcher: NotificationDispatcher,
    private readonly config: NotificationConfig,
  ) {}

  async handle(order: OrderConfirmed): Promise<void> {
    await this.unitOfWork.run(async () => {
      const added = await this.notifications.addPending(
        {
          orderId: order.orderId,
          customerId: order.customerId,
          recipient: order.customerEmail ?? null,
          type: 'ORDER_CONFIRMED',
          channel: this.config.channel,
          ...confirmationText(order),
        },
        captureTraceContext(),
      );
      if (added) this.dispatcher.wakeAfterCommit();
    });
  }
}
