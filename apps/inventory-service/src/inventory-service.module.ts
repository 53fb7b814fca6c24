import { DynamicModule, Module } from '@nestjs/common';
import { CreateMessagingTables1732500000000 } from '@platform/messaging';
import { ServiceKitModule } from '@platform/service';
import { InventoryConfig } from './config';

/** inventory-service: wires the platform, its features, and what it consumes from other services. */
@Module({})
export class InventoryServiceModule {
  static register(config: InventoryConfig): DynamicModule {
    return {
      module: InventoryServiceModule,
      imports: [
        ServiceKitModule.forService({
          config,
          persistence: { entities: [], migrations: [CreateMessagingTables1732500000000] },
          messaging: {},
        }),
      ],
      providers: [{ provide: InventoryConfig, useValue: config }],
    };
  }
}
