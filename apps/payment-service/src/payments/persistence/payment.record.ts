import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Cents } from '@platform/contracts';
import { centsTransformer } from '../../persistence/cents.transformer';
import { DeclineReason, PaymentStatus } from '../domain/payment';

/** A row of `payments`: the one charge of an order, whatever came of it. */
@Entity('payments')
export class PaymentRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'order_id', type: 'uuid', unique: true })
  orderId!: string;

  @Column({ name: 'customer_id', type: 'text' })
  customerId!: string;

  @Column({ name: 'amount_cents', type: 'bigint', transformer: centsTransformer })
  amount!: Cents;

  @Column({ type: 'text' })
  status!: PaymentStatus;

  @Column({ type: 'text', nullable: true })
  reason!: DeclineReason | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
