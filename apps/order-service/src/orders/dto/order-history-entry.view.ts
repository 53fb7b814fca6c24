import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrderStatus, orderStatuses, StepMilestone, stepMilestones } from '../domain/order';

/** One milestone of an order: a status it took, or a saga step it got through. */
export class OrderHistoryEntryView {
  @ApiPropertyOptional({ enum: orderStatuses, description: 'Set when the order took this status' })
  status?: OrderStatus;

  @ApiPropertyOptional({
    enum: stepMilestones,
    description: 'Set when the order got through this saga step',
  })
  step?: StepMilestone;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}
