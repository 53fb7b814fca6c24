import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotificationSummary } from '../domain/notification';
import { NotificationRepository } from '../persistence/notification.repository';
import { ListNotifications } from './list-notifications.query';

/** Answers ListNotifications from the notifications table. */
@QueryHandler(ListNotifications)
export class ListNotificationsHandler implements IQueryHandler<ListNotifications> {
  constructor(private readonly notifications: NotificationRepository) {}

  execute({ filter, limit }: ListNotifications): Promise<NotificationSummary[]> {
    return this.notifications.list(filter, limit);
  }
}
