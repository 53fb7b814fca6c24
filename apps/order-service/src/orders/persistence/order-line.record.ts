import { Column, Entity, PrimaryColumn } from 'typeorm';
import { centsColumn } from './cents.transformer';

/** A row of `order_lines`: one requested sku and quantity, priced once stock is reserved. */
@Entity('order_lines')
export class OrderLineRecord {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId!: string;

  @PrimaryColumn({ name: 'line_no', type: 'smallint' })
  lineNo!: number;

  @Column({ type: 'text' })
  sku!: string;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ name: 'unit_price', type: 'bigint', nullable: true, transformer: centsColumn })
  unitPriceCents!: number | null;
}
