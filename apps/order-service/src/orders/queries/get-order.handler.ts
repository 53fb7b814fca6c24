import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { isUUID } from 'class-validator';
import { OrderView } from '../dto/order.view';
import { OrderViewRepository } from '../persistence/order-view.repository';
import { GetOrder } from './get-order.query';

/** Reads one order; an id that is not a UUID names no order and never reaches the database. */
@QueryHandler(GetOrder)
export class GetOrderHandler implements IQueryHandler<GetOrder> {
  constructor(private readonly views: OrderViewRepository) {}

  async execute({ orderId }: GetOrder): Promise<OrderView | undefined> {
    return isUUID(orderId) ? this.views.findById(orderId) : undefined;
  }
}
