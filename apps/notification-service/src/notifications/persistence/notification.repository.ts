import { Injectable } from '@nestjs/common';
import { queryPrepared, TransactionScope } from '@platform/persistence';
import { DataSource } from 'typeorm';
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
    { orderId, customerId, recipient, type, channel, subject, body }: NewNotification,
    trace: Record<string, string>,
  ): Promise<boolean> {
    const { rows: inserted } = await queryPrepared(
      this.transactions.manager,
      `INSERT INTO notifications (order_id, customer_id, type, channel, subject, body, trace_context, recipient)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (order_id) DO NOTHING
       RETURNING id`,
      [orderId, customerId, type, channel, subject, body, JSON.stringify(trace), recipient],
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
   * Claims up to `limit` due pending notifications for `leaseMs`: until then no other pass or replica takes
   * them (FOR UPDATE SKIP LOCKED while claiming, then the later next_attempt_at), and nothing is held open
   * while they are delivered. A claim whose outcome is never stored (the process died) runs out, and the
   * notification is delivered again.
   */
  async claimDue(limit: number, leaseMs: number): Promise<DueNotification[]> {
    // TypeORM answers an UPDATE with [rows, count].
    const [due]: [DueNotification[], number] = await this.dataSource.query(
      `UPDATE notifications SET next_attempt_at = clock_timestamp() + $2 * interval '1 millisecond'
        WHERE id IN (
          SELECT id FROM notifications
           WHERE status = 'PENDING' AND next_attempt_at <= clock_timestamp()
           ORDER BY next_attempt_at
           LIMIT $1
             FOR UPDATE SKIP LOCKED)
        RETURNING id, order_id AS "orderId", customer_id AS "customerId", recipient, type, subject, body, attempts,
                  trace_context AS trace`,
      [limit, leaseMs],
    );
    return due;
  }

  /** Stores how delivery attempts ended: SENT, FAILED, or PENDING again with the time of the next attempt. */
  async storeOutcomes(outcomes: DeliveryOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await queryPrepared(
      this.dataSource.manager,
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
