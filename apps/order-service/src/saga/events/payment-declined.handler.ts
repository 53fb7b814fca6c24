import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { PaymentDeclined } from '@platform/contracts';
import { OrderSaga } from '../order-saga';

/** Payment refused the order's total: release its stock and cancel it. */
@EventsHandler(PaymentDeclined)
export class PaymentDeclinedHandler implements IEventHandler<PaymentDeclined> {
  constructor(private readonly saga: OrderSaga) {}

  handle({ orderId }: PaymentDeclined): Promise<void> {
    return this.saga.advance(orderId, (order, now) => order.decline(now));
  }
}
