import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ChargePayment, chargeDeadline, fromCents, toCents } from '@platform/contracts';
import { currentDelivery, UnitOfWork } from '@platform/messaging';
import { TransactionScope } from '@platform/persistence';
import { AccountRepository } from '../../accounts/persistence/account.repository';
import { PaymentConfig } from '../../config';
import { chargeCredit, isExpired } from '../domain/charge';
import { Payment } from '../domain/payment';
import { PaymentRepository } from '../persistence/payment.repository';
import { paymentOutcome } from './payment-outcome';

/**
 * Charges an order's total against its customer's credit, at most once per order ever, and tells the
 * order saga how it went. A repeated request changes nothing and hears the first outcome again.
 */
@CommandHandler(ChargePayment)
export class ChargePaymentHandler implements ICommandHandler<ChargePayment> {
  private readonly logger = new Logger(ChargePaymentHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly transactions: TransactionScope,
    private readonly payments: PaymentRepository,
    private readonly accounts: AccountRepository,
    private readonly config: PaymentConfig,
  ) {}

  async execute(command: ChargePayment): Promise<void> {
    await this.unitOfWork.run(async ({ outbox }) => {
      const earlier = await this.payments.findByOrderId(command.orderId);
      const payment = earlier ?? (await this.charge(command));
      outbox.add(paymentOutcome(payment));
      this.log(payment, earlier !== undefined);
    });
  }

  /** The outcome at info once it commits; a repeated request changes nothing, so it is only debug. */
  private log({ orderId, status, reason, amount }: Payment, repeated: boolean): void {
    if (repeated) {
      this.logger.debug({ msg: 'charge asked for again; answering as before', orderId, status });
      return;
    }
    const msg = status === 'CAPTURED' ? 'payment captured' : 'payment declined';
    const line = { msg, orderId, amount: fromCents(amount), ...(reason && { reason }) };
    this.transactions.whenCommitted(() => this.logger.log(line));
  }

  private async charge(command: ChargePayment): Promise<Payment> {
    const { orderId, customerId, amount } = command;
    const charge = { orderId, customerId, amount: toCents(amount) };
    const delivery = currentDelivery() ?? { receivedAt: new Date() };
    if (isExpired(chargeDeadline(command, delivery), new Date())) {
      return (await this.payments.recordOnce({ ...charge, status: 'DECLINED', reason: 'EXPIRED' })).payment;
    }
    const account = await this.accounts.lock(customerId, toCents(this.config.defaultCredit));
    const decision = chargeCredit(account.credit, charge.amount);
    const reason = decision.status === 'DECLINED' ? decision.reason : null;
    // A capture debits the account in the statement that records it, and only if it does record it.
    const creditAfter = decision.status === 'CAPTURED' ? decision.remainingCredit : undefined;
    const { payment } = await this.payments.recordOnce(
      { ...charge, status: decision.status, reason },
      creditAfter,
    );
    return payment;
  }
}
