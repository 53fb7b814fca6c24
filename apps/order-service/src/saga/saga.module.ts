import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { PaymentCapturedHandler } from './events/payment-captured.handler';
import { PaymentDeclinedHandler } from './events/payment-declined.handler';
import { StockReservationRejectedHandler } from './events/stock-reservation-rejected.handler';
import { StockReservedHandler } from './events/stock-reserved.handler';
import { OrderSaga } from './order-saga';
import { StepTimeoutWatcher } from './step-timeout.watcher';

/** The order saga: the replies of inventory and payment that move an order on, and the step timeouts. */
@Module({
  imports: [OrdersModule],
  providers: [
    OrderSaga,
    StockReservedHandler,
    StockReservationRejectedHandler,
    PaymentCapturedHandler,
    PaymentDeclinedHandler,
    StepTimeoutWatcher,
  ],
})
export class SagaModule {}
