import { Column, Entity, PrimaryColumn } from 'typeorm';
import { HistoryEntry } from '../domain/order';

/** A row of `order_history`: one milestone of an order and when it happened. */
@Entity('order_history')
export class OrderHistoryRecord {
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ type: 'text' })
  entry!: HistoryEntry;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
