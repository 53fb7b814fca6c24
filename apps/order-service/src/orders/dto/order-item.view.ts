import { ApiProperty } from '@nestjs/swagger';

/** One line of an order as the API shows it. */
export class OrderItemView {
  @ApiProperty({ example: 'apple-1kg' })
  sku!: string;

  @ApiProperty({ type: 'integer', example: 2 })
  quantity!: number;

  @ApiProperty({
    type: Number,
    nullable: true,
    example: 3.5,
    description: 'Price of one unit, two decimals; null until inventory has reserved the stock',
  })
  unitPrice!: number | null;
}
