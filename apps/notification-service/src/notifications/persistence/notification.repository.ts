import { Injectable } from '@nestjs/common';
import { TransactionScope } from '@platform/persistence';
import { DataSource, EntityManager } from 'typeorm';
import {
  DeliveryOutcome,
  DueNotification,
  NewNotification,
  NotificationSummary,
} from '../domain/notification';
import { NotificationRecord } from './notification.record';

/** Filters of the notification list; at least one is given. */
export interface NotificationFilter {
  orderId?: string;
  customerId?: string;
}

/** Storage of notifications: record one in the caller's transaction, list them, and deliver due ones in batches. */
@Injectable()
export class NotificationRepository {
  constructor(
    private readonly transactions: TransactionScope,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Records a pending notification in the open transaction, with the trace its delivery will continue;
   * false when the order already has one.
   */
  async addPending(
    { orderId, customerId, type, channel, subject, body }: NewNotification,
    trace: Record<string, string>,
  ): Promise<boolean> {
    const inserted: unknown[] = await this.transactions.manager.query(
      `INSERT INTO notifications (order_id, customer_id, type, channel, subject, body, trace_context)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (order_id) DO NOTHING
       RETURNING id`,
      [orderId, customerId, type, channel, subject, body, JSON.stringify(trace)],
    );
    return inserted.length === 1;
  }

  /** Notifications matching every given filter, newest first. */
  async list({ orderId, customerId }: NotificationFilter, limit: number): Promise<NotificationSummary[]> {
    const records = await this.transactions.manager.getRepository(NotificationRecord).find({
      where: { ...(orderId !== undefined && { orderId }), ...(customerId !== undefined && { customerId }) },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit,
    });
    return records.map(({ id, orderId, customerId, type, channel, status, createdAt }) => ({
      id,
      orderId,
      customerId,
      type,
      channel,
      status,
      createdAt,
    }));
  }

  /**
   * Claims up to `limit` due pending notifications, hands them to `deliver` and stores its outcomes, all in
   * one transaction of its own. The rows stay locked while they are delivered and other replicas skip them
   * (FOR UPDATE SKIP LOCKED), so no notification is sent twice at the same time. Resolves to the number claimed.
   */
  async deliverDue(
    limit: number,
    deliver: (due: DueNotification[]) => Promise<DeliveryOutcome[]>,
  ): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const due: DueNotification[] = await manager.query(
        `SELECT id, order_id AS "orderId", customer_id AS "customerId", type, subject, body, attempts,
                trace_context AS trace
           FROM notifications
          WHERE status = 'PENDING' AND next_attempt_at <= clock_timestamp()
          ORDER BY next_attempt_at
          LIMIT $1
            FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (due.length === 0) return 0;
      await this.storeOutcomes(manager, await deliver(due));
      return due.length;
    });
  }

  private async storeOutcomes(manager: EntityManager, outcomes: DeliveryOutcome[]): Promise<void> {
    await manager.query(
      `UPDATE notifications AS n
          SET status = o.status,
              attempts = n.attempts + 1,
              channel = coalesce(o.channel, n.channel),
              last_error = coalesce(o.error, n.last_error),
              sent_at = CASE WHEN o.status = 'SENT' THEN clock_timestamp() END,
              next_attempt_at = CASE WHEN o.status = 'PENDING'
                                     THEN clock_timestamp() + o.retry_in_ms * interval '1 millisecond'
                                     ELSE n.next_attempt_at END
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::integer[])
           AS o (id, status, channel, error, retry_in_ms)
        WHERE n.id = o.id`,
      [
        outcomes.map((outcome) => outcome.id),
        outcomes.map((outcome) => outcome.status),
        outcomes.map((outcome) => (outcome.status === 'SENT' ? outcome.channel : null)),
        outcomes.map((outcome) => (outcome.status === 'SENT' ? null : outcome.error.slice(0, 2000))),
        outcomes.map((outcome) => (outcome.status === 'PENDING' ? outcome.retryInMs : null)),
      ],
    );
  }
}
