import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { fromCents, RefundPayment } from '@platform/contracts';
import { UnitOfWork } from '@platform/messaging';
import { TransactionScope } from '@platform/persistence';
import { AccountRepository } from '../../accounts/persistence/account.repository';
import { refund } from '../domain/refund';
import { PaymentRepository } from '../persistence/payment.repository';

/**
 * Compensation for a cancelled order: gives a captured payment's amount back to the customer's credit,
 * once. Anything else (declined, already refunded, never charged) is left alone.
 */
@CommandHandler(RefundPayment)
export class RefundPaymentHandler implements ICommandHandler<RefundPayment> {
  private readonly logger = new Logger(RefundPaymentHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly transactions: TransactionScope,
    private readonly payments: PaymentRepository,
    private readonly accounts: AccountRepository,
  ) {}

  async execute({ orderId }: RefundPayment): Promise<void> {
    await this.unitOfWork.run(async () => {
      const decision = refund(await this.payments.lockByOrderId(orderId));
      if (!decision.refunded) {
        this.logger.debug({ msg: 'nothing to refund', orderId, reason: decision.reason });
        return;
      }
      const { payment } = decision;
      await this.payments.setStatus(payment);
      await this.accounts.addCredit(payment.customerId, payment.amount);
      const line = { msg: 'payment refunded', orderId, amount: fromCents(payment.amount) };
      this.transactions.whenCommitted(() => this.logger.log(line));
    });
  }
}
