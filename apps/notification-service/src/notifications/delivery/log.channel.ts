import { Logger } from '@nestjs/common';
import { NotificationChannel, NotificationMessage } from './notification-channel';

/** The default channel: writes each notification as one structured log line instead of sending it anywhere. */
export class LogChannel implements NotificationChannel {
  readonly name = 'log';
  private readonly logger = new Logger(LogChannel.name);

  async send({ id, orderId, customerId, type, subject, body }: NotificationMessage): Promise<void> {
    this.logger.log({
      msg: 'notification delivered',
      notificationId: id,
      orderId,
      customerId,
      type,
      subject,
      body,
    });
  }
}
