import { Injectable } from '@nestjs/common';
import { Cents } from '@platform/contracts';
import { queryPrepared, TransactionScope } from '@platform/persistence';
import { FindOptionsWhere } from 'typeorm';
import { NewPayment, Payment } from '../domain/payment';
import { PaymentRecord } from './payment.record';

/** Which payments to list: by order, by customer, or both. */
export interface PaymentFilter {
  orderId?: string;
  customerId?: string;
}

/** Reads and writes `payments` inside the open transaction, if any. */
@Injectable()
export class PaymentRepository {
  constructor(private readonly transactions: TransactionScope) {}

  private get records() {
    return this.transactions.manager.getRepository(PaymentRecord);
  }

  async findByOrderId(orderId: string): Promise<Payment | undefined> {
    const {
      rows: [row],
    } = await queryPrepared<Omit<Payment, 'amount'> & { amount: string }>(
      this.transactions.manager,
      `SELECT id, order_id AS "orderId", customer_id AS "customerId", amount_cents AS amount, status, reason
         FROM payments WHERE order_id = $1`,
      [orderId],
    );
    return row ? { ...row, amount: Number(row.amount) } : undefined;
  }

  /** Newest first. */
  async list({ orderId, customerId }: PaymentFilter, limit: number): Promise<Payment[]> {
    const where: FindOptionsWhere<PaymentRecord> = {};
    if (orderId !== undefined) where.orderId = orderId;
    if (customerId !== undefined) where.customerId = customerId;
    const records = await this.records.find({ where, order: { createdAt: 'DESC', id: 'ASC' }, take: limit });
    return records.map(toPayment);
  }

  /** Locks the order's payment until the transaction ends, so a refund cannot race another. */
  async lockByOrderId(orderId: string): Promise<Payment | undefined> {
    const record = await this.records
      .createQueryBuilder('payment')
      .setLock('pessimistic_write')
      .where('payment.orderId = :orderId', { orderId })
      .getOne();
    return record ? toPayment(record) : undefined;
  }

  /**
   * Records the order's payment unless it already has one, and returns the payment the order ends up with.
   * A concurrent insert of the same order makes this wait for it to commit, then see it as the existing one.
   * With `creditAfter`, the same statement sets the customer's credit to it, only if the payment was recorded
   * here (the caller holds the account's lock): a charge and its debit are one round trip.
   */
  async recordOnce(
    payment: NewPayment,
    creditAfter?: Cents,
  ): Promise<{ payment: Payment; recorded: boolean }> {
    const { rows: inserted } = await queryPrepared<{ id: string }>(
      this.transactions.manager,
      `WITH recorded AS (
         INSERT INTO payments (order_id, customer_id, amount_cents, status, reason) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (order_id) DO NOTHING RETURNING id),
       debited AS (
         UPDATE accounts SET credit_cents = $6, updated_at = now()
          WHERE customer_id = $2 AND $6::bigint IS NOT NULL AND EXISTS (SELECT FROM recorded))
       SELECT id FROM recorded`,
      [
        payment.orderId,
        payment.customerId,
        payment.amount,
        payment.status,
        payment.reason,
        creditAfter ?? null,
      ],
    );
    if (inserted.length === 1) return { payment: { ...payment, id: inserted[0].id }, recorded: true };
    const existing = await this.findByOrderId(payment.orderId);
    if (!existing) throw new Error(`payment of order ${payment.orderId} conflicted but cannot be found`);
    return { payment: existing, recorded: false };
  }

  async setStatus({ id, status }: Payment): Promise<void> {
    await this.records.update({ id }, { status });
  }
}

function toPayment(record: PaymentRecord): Payment {
  const { id, orderId, customerId, amount, status, reason } = record;
  return { id, orderId, customerId, amount, status, reason };
}
