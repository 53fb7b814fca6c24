import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { OrderViewRepository } from '../persistence/order-view.repository';
import { ListOrders, ListOrdersResult } from './list-orders.query';
import { decodeCursor, encodeCursor } from './order-cursor';

/** Pages through a customer's orders by keyset (created_at, id), so pages stay stable as orders arrive. */
@QueryHandler(ListOrders)
export class ListOrdersHandler implements IQueryHandler<ListOrders> {
  constructor(private readonly views: OrderViewRepository) {}

  async execute({ customerId, limit, cursor }: ListOrders): Promise<ListOrdersResult> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && !after) return { kind: 'invalid-cursor' };
    // One more than asked tells whether another page follows without counting.
    const found = await this.views.findByCustomer(customerId, limit + 1, after);
    const items = found.slice(0, limit);
    const last = items.at(-1);
    const nextCursor =
      found.length > limit && last
        ? encodeCursor({ createdAt: new Date(last.createdAt), id: last.id })
        : null;
    return { kind: 'page', page: { items, nextCursor } };
  }
}
