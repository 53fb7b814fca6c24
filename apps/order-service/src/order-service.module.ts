import { DynamicModule, Module } from '@nestjs/common';
import { consumers } from '@platform/contracts';
import { messagingMigrations } from '@platform/messaging';
import { ServiceKitModule } from '@platform/service';
import { OrderConfig } from './config';
import { OrdersModule } from './orders/orders.module';
import { CreateOrders1732600000000 } from './orders/persistence/create-orders.migration';
import { CustomerEmail1796500000000 } from './orders/persistence/customer-email.migration';
import { IdempotencyKeyPerCustomer1796400000000 } from './orders/persistence/idempotency-key-per-customer.migration';
import { OrderHistoryRecord } from './orders/persistence/order-history.record';
import { OrderLineRecord } from './orders/persistence/order-line.record';
import { OrderRecord } from './orders/persistence/order.record';
import { StepClockFromPublish1796300000000 } from './orders/persistence/step-clock-from-publish.migration';
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
          persistence: {
            entities: [OrderRecord, OrderLineRecord, OrderHistoryRecord],
            migrations: [
              ...messagingMigrations,
              CreateOrders1732600000000,
              StepClockFromPublish1796300000000,
              IdempotencyKeyPerCustomer1796400000000,
              CustomerEmail1796500000000,
            ],
          },
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
