import { Module } from '@nestjs/common';
import { notificationChannelProvider } from './delivery/notification-channel.provider';
import { NotificationDispatcher } from './delivery/notification-dispatcher';
import { OrderCancelledHandler } from './events/order-cancelled.handler';
import { OrderConfirmedHandler } from './events/order-confirmed.handler';
import { NotificationsController } from './notifications.controller';
import { NotificationRepository } from './persistence/notification.repository';
import { ListNotificationsHandler } from './queries/list-notifications.handler';

/** Tells customers how their orders ended: records one notification per terminal order and delivers it. */
@Module({
  controllers: [NotificationsController],
  providers: [
    NotificationRepository,
    notificationChannelProvider,
    NotificationDispatcher,
    OrderConfirmedHandler,
    OrderCancelledHandler,
    ListNotificationsHandler,
  ],
})
export class NotificationsModule {}
