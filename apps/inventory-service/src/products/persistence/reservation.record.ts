import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { ReservationStatus } from '../domain/reservation';

/** A line as stored in `reservations.lines`: the unit price as the same money number the order saga got. */
export interface StoredLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

/** A row of `reservations`: the stock held for one order. */
@Entity('reservations')
export class ReservationRecord {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @Column({ type: 'text' })
  status!: ReservationStatus;

  @Column({ type: 'jsonb' })
  lines!: StoredLine[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
