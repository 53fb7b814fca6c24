import { ApiProperty } from '@nestjs/swagger';
import { CancellationReason, cancellationReasons } from '@platform/contracts';
import { OrderStatus, orderStatuses } from '../domain/order';
import { OrderHistoryEntryView } from './order-history-entry.view';
import { OrderItemView } from './order-item.view';

/** An order as the API shows it: status, priced lines, total and history. */
export class OrderView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'customer-42' })
  customerId!: string;

  @ApiProperty({ enum: orderStatuses })
  status!: OrderStatus;

  @ApiProperty({ enum: cancellationReasons, nullable: true, description: 'Set when the order is CANCELLED' })
  cancellationReason!: CancellationReason | null;

  @ApiProperty({ type: [OrderItemView] })
  items!: OrderItemView[];

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 7,
    description: 'Sum of the lines, two decimals; null until inventory has reserved the stock',
  })
  total!: number | null;

  @ApiProperty({ type: [OrderHistoryEntryView], description: 'Oldest first' })
  history!: OrderHistoryEntryView[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}
