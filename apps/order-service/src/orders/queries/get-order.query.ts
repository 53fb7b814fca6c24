import { Query } from '@nestjs/cqrs';
import { OrderView } from '../dto/order.view';

/** Which order is this? Undefined when there is none with that id. */
export class GetOrder extends Query<OrderView | undefined> {
  constructor(readonly orderId: string) {
    super();
  }
}
