import { DynamicModule, Module } from '@nestjs/common';
import { consumers } from '@platform/contracts';
import { messagingMigrations } from '@platform/messaging';
import { ServiceKitModule } from '@platform/service';
import { NotificationConfig } from './config';
import { NotificationsModule } from './notifications/notifications.module';
import { AddNotificationTraceContext1733000000000 } from './notifications/persistence/add-notification-trace-context.migration';
import { NotificationRecipient1796500000000 } from './notifications/persistence/notification-recipient.migration';
import { CreateNotifications1732600000000 } from './notifications/persistence/create-notifications.migration';
import { NotificationRecord } from './notifications/persistence/notification.record';

/** notification-service: wires the platform, its features, and what it consumes from other services. */
@Module({})
export class NotificationServiceModule {
  static register(config: NotificationConfig): DynamicModule {
    return {
      module: NotificationServiceModule,
      global: true,
      imports: [
        ServiceKitModule.forService({
          config,
          persistence: {
            entities: [NotificationRecord],
            migrations: [
              ...messagingMigrations,
              CreateNotifications1732600000000,
              AddNotificationTraceContext1733000000000,
              NotificationRecipient1796500000000,
            ],
          },
          messaging: consumers.notification,
        }),
        NotificationsModule,
      ],
      providers: [{ provide: NotificationConfig, useValue: config }],
      exports: [NotificationConfig],
    };
  }
}
