import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CancellationReason } from '@platform/contracts';
import { OrderStatus, SagaStep } from '../domain/order';
import { TraceCarrier } from '@platform/messaging';
import { centsColumn } from './cents.transformer';

/** A row of `orders`: the order and where its saga stands. */
@Entity('orders')
export class OrderRecord {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId!: string;

  @Column({ name: 'customer_email', type: 'text', nullable: true })
  customerEmail!: string | null;

  @Column({ type: 'text' })
  status!: OrderStatus;

  @Column({ name: 'cancellation_reason', type: 'text', nullable: true })
  cancellationReason!: CancellationReason | null;

  @Column({ type: 'text', nullable: true })
  step!: SagaStep | null;

  @Column({ name: 'step_deadline', type: 'timestamptz', nullable: true })
  stepDeadline!: Date | null;

  @Column({ name: 'total', type: 'bigint', nullable: true, transformer: centsColumn })
  totalCents!: number | null;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ name: 'request_fingerprint', type: 'text', nullable: true })
  requestFingerprint!: string | null;

  @Column({ name: 'trace_context', type: 'jsonb' })
  traceContext!: TraceCarrier;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
