import { ApiProperty } from '@nestjs/swagger';
import { OrderView } from './order.view';

/** One page of a customer's orders, newest first. */
export class OrderPageView {
  @ApiProperty({ type: [OrderView] })
  items!: OrderView[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` to get the next page; null on the last page',
  })
  nextCursor!: string | null;
}
