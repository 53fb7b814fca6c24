import { DynamicModule, Module } from '@nestjs/common';
import { CreateMessagingTables1732500000000 } from '@platform/messaging';
import { ServiceKitModule } from '@platform/service';
import { OrderConfig } from './config';

/** order-service: wires the platform, its features, and what it consumes from other services. */
@Module({})
export class OrderServiceModule {
  static register(config: OrderConfig): DynamicModule {
    return {
      module: OrderServiceModule,
      imports: [
        ServiceKitModule.forService({
          config,
          persistence: { entities: [], migrations: [CreateMessagingTables1732500000000] },
          messaging: {},
        }),
      ],
      providers: [{ provide: OrderConfig, useValue: config }],
    };
  }
}
