import { DynamicModule, Module } from '@nestjs/common';
import { CreateMessagingTables1732500000000 } from '@platform/messaging';
import { ServiceKitModule } from '@platform/service';
import { NotificationConfig } from './config';

/** notification-service: wires the platform, its features, and what it consumes from other services. */
@Module({})
export class NotificationServiceModule {
  static register(config: NotificationConfig): DynamicModule {
    return {
      module: NotificationServiceModule,
      imports: [
        ServiceKitModule.forService({
          config,
          persistence: { entities: [], migrations: [CreateMessagingTables1732500000000] },
          messaging: {},
        }),
      ],
      providers: [{ provide: NotificationConfig, useValue: config }],
    };
  }
}
