import { Query } from '@nestjs/cqrs';
import { Payment } from '../domain/payment';
import { PaymentFilter } from '../persistence/payment.repository';

/** Which payments were made for this order, or by this customer? */
export class ListPayments extends Query<Payment[]> {
  constructor(
    readonly filter: PaymentFilter,
    readonly limit: number,
  ) {
    super();
  }
}
