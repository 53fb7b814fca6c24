import { DynamicModule, Module } from '@nestjs/common';
import { OrderConfirmed, ReleaseStock, ReserveStock } from '@platform/contracts';
import { CreateMessagingTables1732500000000 } from '@platform/messaging';
import { ServiceKitModule } from '@platform/service';
import { InventoryConfig } from './config';
import { CreateProductsAndReservations1732600000000 } from './products/persistence/create-products-and-reservations.migration';
import { ProductRecord } from './products/persistence/product.record';
import { ReservationRecord } from './products/persistence/reservation.record';
import { ProductsModule } from './products/products.module';

/** inventory-service: wires the platform, its features, and what it consumes from other services. */
@Module({})
export class InventoryServiceModule {
  static register(config: InventoryConfig): DynamicModule {
    return {
      module: InventoryServiceModule,
      imports: [
        ServiceKitModule.forService({
          config,
          persistence: {
            entities: [ProductRecord, ReservationRecord],
            migrations: [CreateMessagingTables1732500000000, CreateProductsAndReservations1732600000000],
          },
          messaging: { commands: [ReserveStock, ReleaseStock], events: [OrderConfirmed] },
        }),
        ProductsModule,
      ],
      providers: [{ provide: InventoryConfig, useValue: config }],
    };
  }
}
