import { Column, Entity, PrimaryColumn } from 'typeorm';
import { NotificationStatus, NotificationType } from '../domain/notification';

/** A row of `notifications`: one per order that reached a terminal state, with its delivery progress. */
@Entity('notifications')
export class NotificationRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'order_id' })
  orderId!: string;

  @Column('text', { name: 'customer_id' })
  customerId!: string;

  /** The verified address mail may go to; null when the order's token carried none. */
  @Column('text', { nullable: true })
  recipient!: string | null;

  @Column('text')
  type!: NotificationType;

  @Column('text')
  channel!: string;

  @Column('text')
  status!: NotificationStatus;

  @Column('text')
  subject!: string;

  @Column('text')
  body!: string;

  @Column('integer')
  attempts!: number;

  @Column('timestamptz', { name: 'next_attempt_at' })
  nextAttemptAt!: Date;

  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Column('timestamptz', { name: 'sent_at', nullable: true })
  sentAt!: Date | null;

  @Column('jsonb', { name: 'trace_context' })
  traceContext!: Record<string, string>;
}
