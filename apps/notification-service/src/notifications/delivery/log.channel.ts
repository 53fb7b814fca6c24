import { Logger } from '@nestjs/common';
import { NotificationChannel, NotificationMessage } from './notification-channel';

/**
 * The default channel: writes each notification as one structured log line instead of sending it anywhere.
 * The line names the notification by ids and subject only: logs never carry who the customer is or what
 * they were told.
 */
export class LogChannel implements NotificationChannel {
  readonly name = 'log';
  private readonly logger = new Logger(LogChannel.name);

  async send({ id, orderId, type, subject }: NotificationMessage): Promise<void> {
    this.logger.log({ msg: 'notification delivered to the log', notificationId: id, orderId, type, subject });
  }
}
