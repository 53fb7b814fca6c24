import { Module } from '@nestjs/common';
import { PutProductHandler } from './commands/put-product.handler';
import { ReleaseStockHandler } from './commands/release-stock.handler';
import { ReserveStockHandler } from './commands/reserve-stock.handler';
import { OrderConfirmedHandler } from './events/order-confirmed.handler';
import { ProductRepository } from './persistence/product.repository';
import { ReservationRepository } from './persistence/reservation.repository';
import { ProductsController } from './products.controller';
import { GetProductHandler } from './queries/get-product.handler';
import { ListProductsHandler } from './queries/list-products.handler';

/**
 * Products and their stock: the catalogue over HTTP, and the reservations the order saga asks for
 * (ReserveStock, ReleaseStock) and settles (OrderConfirmed).
 */
@Module({
  controllers: [ProductsController],
  providers: [
    ProductRepository,
    ReservationRepository,
    PutProductHandler,
    GetProductHandler,
    ListProductsHandler,
    ReserveStockHandler,
    ReleaseStockHandler,
    OrderConfirmedHandler,
  ],
})
export class ProductsModule {}
