import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { StockReservationRejected } from '@platform/contracts';
import { OrderSaga } from '../order-saga';

/** Inventory could not reserve the order's stock: cancel the order with the reason it gave. */
@EventsHandler(StockReservationRejected)
export class StockReservationRejectedHandler implements IEventHandler<StockReservationRejected> {
  constructor(private readonly saga: OrderSaga) {}

  handle({ orderId, reason }: StockReservationRejected): Promise<void> {
    return this.saga.advance(orderId, (order, now) => order.reject(reason, now));
  }
}
