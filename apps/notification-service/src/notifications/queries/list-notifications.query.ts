import { Query } from '@nestjs/cqrs';
import { NotificationSummary } from '../domain/notification';

/** Which notifications were recorded for an order and/or a customer, newest first. */
export class ListNotifications extends Query<NotificationSummary[]> {
  constructor(
    readonly filter: { orderId?: string; customerId?: string },
    readonly limit: number,
  ) {
    super();
  }
}
