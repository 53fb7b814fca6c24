import { DynamicModule, Module } from '@nestjs/common';
import { consumers } from '@platform/contracts';
import { messagingMigrations } from '@platform/messaging';
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
            migrations: [...messagingMigrations, CreateProductsAndReservations1732600000000],
          },
          messaging: consumers.inventory,
        }),
        ProductsModule,
      ],
      providers: [{ provide: InventoryConfig, useValue: config }],
    };
  }
}
