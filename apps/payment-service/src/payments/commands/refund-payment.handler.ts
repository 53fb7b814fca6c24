import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { RefundPayment } from '@platform/contracts';
import { UnitOfWork } from '@platform/messaging';
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
    private readonly payments: PaymentRepository,
    private readonly accounts: AccountRepository,
  ) {}

  async execute({ orderId }: RefundPayment): Promise<void> {
    await this.unitOfWork.run(async () => {
      const decision = refund(await this.payments.lockByOrderId(orderId));
      if (!decision.refunded) {
        this.logger.debug(`nothing to refund for order ${orderId}: ${decision.reason}`);
        return;
      }
      await this.payments.setStatus(decision.payment);
      await this.accounts.addCredit(decision.payment.customerId, decision.payment.amount);
    });
  }
}
