import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { PaymentCaptured } from '@platform/contracts';
import { OrderSaga } from '../order-saga';

/** Payment took the order's total: confirm the order, or refund the payment if the saga already gave up. */
@EventsHandler(PaymentCaptured)
export class PaymentCapturedHandler implements IEventHandler<PaymentCaptured> {
  constructor(private readonly saga: OrderSaga) {}

  handle({ orderId }: PaymentCaptured): Promise<void> {
    return this.saga.advance(orderId, (order, now) => order.recordPayment(now));
  }
}
