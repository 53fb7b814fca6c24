import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { OrderConfig } from '../config';
import { PlaceOrderHandler } from './commands/place-order.handler';
import { OrderThrottle } from './order-throttle.guard';
import { OrdersController } from './orders.controller';
import { OrderViewRepository } from './persistence/order-view.repository';
import { OrderRepository } from './persistence/order.repository';
import { GetOrderHandler } from './queries/get-order.handler';
import { ListOrdersHandler } from './queries/list-orders.handler';

/** Orders over HTTP (throttled per customer), their reads, and the repository the saga uses to move them along. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [OrderConfig],
      useFactory: (config: OrderConfig) => [{ ttl: 60_000, limit: config.orderRateLimitPerMinute }],
    }),
  ],
  controllers: [OrdersController],
  providers: [
    OrderThrottle,
    OrderRepository,
    OrderViewRepository,
    PlaceOrderHandler,
    GetOrderHandler,
    ListOrdersHandler,
  ],
  exports: [OrderRepository],
})
export class OrdersModule {}
