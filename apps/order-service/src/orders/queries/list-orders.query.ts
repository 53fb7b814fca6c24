import { Query } from '@nestjs/cqrs';
import { OrderPageView } from '../dto/order-page.view';

/** A page of the listing, or why the cursor could not continue one. */
export type ListOrdersResult = { kind: 'page'; page: OrderPageView } | { kind: 'invalid-cursor' };

/** Which orders has this customer placed, newest first? Continues after `cursor` when given. */
export class ListOrders extends Query<ListOrdersResult> {
  constructor(
    readonly customerId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {
    super();
  }
}
