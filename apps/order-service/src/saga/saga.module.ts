import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { PaymentCapturedHandler } from './events/payment-captured.handler';
import { PaymentDeclinedHandler } from './events/payment-declined.handler';
import { StockReservationRejectedHandler } from './events/stock-reservation-rejected.handler';
import { StockReservedHandler } from './events/stock-reserved.handler';
import { OrderSaga } from './order-saga';
import { StepClock } from './step-clock';
import { StepTimeoutWatcher } from './step-timeout.watcher';

/** The order saga: the replies of inventory and payment that move an order on, the step clocks and timeouts. */
@Module({
  imports: [OrdersModule],
  providers: [
    OrderSaga,
    StockReservedHandler,
    StockReservationRejectedHandler,
    PaymentCapturedHandler,
    PaymentDeclinedHandler,
    StepClock,
    StepTimeoutWatcher,
  ],
})
export class SagaModule {}
