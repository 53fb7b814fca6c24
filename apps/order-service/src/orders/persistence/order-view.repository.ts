import { Injectable } from '@nestjs/common';
import { TransactionScope } from '@platform/persistence';
import { EntityManager, In } from 'typeorm';
import { toOrderView } from '../dto/order-view.mapper';
import { OrderView } from '../dto/order.view';
import { OrderHistoryRecord } from './order-history.record';
import { OrderLineRecord } from './order-line.record';
import { OrderRecord } from './order.record';

/** A place in a customer's listing: just after the order created at `createdAt` with `id`. */
export interface ListingPosition {
  createdAt: Date;
  id: string;
}

/** Reads orders as the API shows them, with their lines and history. */
@Injectable()
export class OrderViewRepository {
  constructor(private readonly transactions: TransactionScope) {}

  private get manager(): EntityManager {
    return this.transactions.manager;
  }

  async findById(id: string): Promise<OrderView | undefined> {
    const record = await this.manager.findOneBy(OrderRecord, { id });
    if (!record) return undefined;
    const [view] = await this.toViews([record]);
    return view;
  }

  /** Up to `limit` orders of the customer, newest first (ties broken by id), after `after` if given. */
  async findByCustomer(customerId: string, limit: number, after?: ListingPosition): Promise<OrderView[]> {
    const query = this.manager
      .createQueryBuilder(OrderRecord, 'orders')
      .where('orders.customerId = :customerId', { customerId });
    if (after) {
      query.andWhere('(orders.createdAt, orders.id) < (:createdAt, :id)', after);
    }
    const records = await query
      .orderBy('orders.createdAt', 'DESC')
      .addOrderBy('orders.id', 'DESC')
      .limit(limit)
      .getMany();
    return this.toViews(records);
  }

  private async toViews(records: OrderRecord[]): Promise<OrderView[]> {
    if (records.length === 0) return [];
    const ids = In(records.map((record) => record.id));
    const [lines, history] = await Promise.all([
      this.manager.find(OrderLineRecord, {
        where: { orderId: ids },
        order: { orderId: 'ASC', lineNo: 'ASC' },
      }),
      this.manager.find(OrderHistoryRecord, { where: { orderId: ids }, order: { at: 'ASC', id: 'ASC' } }),
    ]);
    return records.map((record) =>
      toOrderView(
        { ...record, lines: lines.filter((line) => line.orderId === record.id) },
        history.filter((entry) => entry.orderId === record.id),
      ),
    );
  }
}
