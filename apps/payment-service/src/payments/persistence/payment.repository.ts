import { Injectable } from '@nestjs/common';
import { TransactionScope } from '@platform/persistence';
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
    const record = await this.records.findOneBy({ orderId });
    return record ? toPayment(record) : undefined;
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
   */
  async recordOnce(payment: NewPayment): Promise<{ payment: Payment; recorded: boolean }> {
    const inserted = await this.transactions.manager.query<Array<{ id: string }>>(
      `INSERT INTO payments (order_id, customer_id, amount_cents, status, reason) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (order_id) DO NOTHING RETURNING id`,
      [payment.orderId, payment.customerId, payment.amount, payment.status, payment.reason],
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
