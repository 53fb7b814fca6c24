import { FactoryProvider } from '@nestjs/common';
import { NotificationConfig } from '../../config';
import { LogChannel } from './log.channel';
import { NotificationChannel } from './notification-channel';
import { SmtpChannel } from './smtp.channel';

/** Provides the NotificationChannel that NOTIFICATION_CHANNEL names. */
export const notificationChannelProvider: FactoryProvider<NotificationChannel> = {
  provide: NotificationChannel,
  inject: [NotificationConfig],
  useFactory: (config: NotificationConfig) =>
    config.channel === 'smtp' ? new SmtpChannel(config.smtpUrl, config.from) : new LogChannel(),
};
