import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Cents } from '@platform/contracts';
import { centsTransformer } from '../../persistence/cents.transformer';

/** A row of `accounts`: a customer's remaining credit, in cents. */
@Entity('accounts')
export class AccountRecord {
  @PrimaryColumn({ name: 'customer_id', type: 'text' })
  customerId!: string;

  @Column({ name: 'credit_cents', type: 'bigint', transformer: centsTransformer })
  credit!: Cents;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
