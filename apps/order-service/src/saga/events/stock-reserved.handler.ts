import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { StockReserved } from '@platform/contracts';
import { OrderConfig } from '../../config';
import { OrderSaga } from '../order-saga';

/** Inventory holds the order's stock: charge the customer, or give the stock back if the saga already gave up. */
@EventsHandler(StockReserved)
export class StockReservedHandler implements IEventHandler<StockReserved> {
  constructor(
    private readonly saga: OrderSaga,
    private readonly config: OrderConfig,
  ) {}

  handle(reply: StockReserved): Promise<void> {
    return this.saga.advance(reply.orderId, (order, now) =>
      order.recordReservation(reply, now, this.config.sagaStepTimeoutMs),
    );
  }
}
