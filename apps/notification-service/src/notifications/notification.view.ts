import { ApiProperty } from '@nestjs/swagger';
import {
  NotificationStatus,
  notificationStatuses,
  NotificationSummary,
  NotificationType,
  notificationTypes,
} from './domain/notification';

/** A notification as `GET /notifications` shows it. */
export class NotificationView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  orderId!: string;

  @ApiProperty()
  customerId!: string;

  @ApiProperty({ enum: notificationTypes })
  type!: NotificationType;

  @ApiProperty({ example: 'smtp', description: 'The channel that delivers (or delivered) it.' })
  channel!: string;

  @ApiProperty({ enum: notificationStatuses })
  status!: NotificationStatus;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static of({
    id,
    orderId,
    customerId,
    type,
    channel,
    status,
    createdAt,
  }: NotificationSummary): NotificationView {
    return Object.assign(new NotificationView(), {
      id,
      orderId,
      customerId,
      type,
      channel,
      status,
      createdAt: createdAt.toISOString(),
    });
  }
}
