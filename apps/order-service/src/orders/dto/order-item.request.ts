import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';

/** One line of a new order. */
export class OrderItemRequest {
  @ApiProperty({ minLength: 1, maxLength: 64, example: 'apple-1kg' })
  @IsString()
  @Length(1, 64)
  sku!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1_000_000, example: 2 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity!: number;
}
