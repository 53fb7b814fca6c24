import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length, ValidateNested } from 'class-validator';
import { OrderItemRequest } from './order-item.request';

/** Body of `POST /orders`. */
export class PlaceOrderRequest {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'customer-42' })
  @IsString()
  @Length(1, 100)
  customerId!: string;

  @ApiProperty({ type: [OrderItemRequest], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => OrderItemRequest)
  items!: OrderItemRequest[];
}
