import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ChargePaymentHandler } from './commands/charge-payment.handler';
import { RefundPaymentHandler } from './commands/refund-payment.handler';
import { PaymentRepository } from './persistence/payment.repository';
import { PaymentsController } from './payments.controller';
import { ListPaymentsHandler } from './queries/list-payments.handler';

/** Charges and refunds of orders against customers' credit, and the REST view of them. */
@Module({
  imports: [AccountsModule],
  controllers: [PaymentsController],
  providers: [PaymentRepository, ChargePaymentHandler, RefundPaymentHandler, ListPaymentsHandler],
})
export class PaymentsModule {}
