import { DynamicModule, Module } from '@nestjs/common';
import { consumers } from '@platform/contracts';
import { ServiceKitModule } from '@platform/service';
import { OrderConfig } from './config';
import { OrdersModule } from './orders/orders.module';
import { orderPersistence } from './orders/persistence/order-persistence';
import { SagaModule } from './saga/saga.module';

/** order-service: wires the platform, its features, and what it consumes from other services. */
@Module({})
export class OrderServiceModule {
  static register(config: OrderConfig): DynamicModule {
    return {
      module: OrderServiceModule,
      // Global so every feature module can inject OrderConfig.
      global: true,
      imports: [
        ServiceKitModule.forService({
          config,
          persistence: orderPersistence,
          messaging: consumers.order,
        }),
        OrdersModule,
        SagaModule,
      ],
      providers: [{ provide: OrderConfig, useValue: config }],
      exports: [OrderConfig],
    };
  }
}
