import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Payment } from '../domain/payment';
import { PaymentRepository } from '../persistence/payment.repository';
import { ListPayments } from './list-payments.query';

/** Lists the payments matching the filter, newest first, at most `limit`. */
@QueryHandler(ListPayments)
export class ListPaymentsHandler implements IQueryHandler<ListPayments> {
  constructor(private readonly payments: PaymentRepository) {}

  execute({ filter, limit }: ListPayments): Promise<Payment[]> {
    return this.payments.list(filter, limit);
  }
}
