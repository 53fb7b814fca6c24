import { Module } from '@nestjs/common';
import { PlaceOrderHandler } from './commands/place-order.handler';
import { OrdersController } from './orders.controller';
import { OrderViewRepository } from './persistence/order-view.repository';
import { OrderRepository } from './persistence/order.repository';
import { GetOrderHandler } from './queries/get-order.handler';
import { ListOrdersHandler } from './queries/list-orders.handler';

/** Orders over HTTP, their reads, and the repository the saga uses to move them along. */
@Module({
  controllers: [OrdersController],
  providers: [OrderRepository, OrderViewRepository, PlaceOrderHandler, GetOrderHandler, ListOrdersHandler],
  exports: [OrderRepository],
})
export class OrdersModule {}
