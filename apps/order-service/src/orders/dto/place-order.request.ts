import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  ValidateIf,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { EachSkuOnce } from './each-sku-once.validator';
import { OrderItemRequest } from './order-item.request';

/** Body of `POST /orders`. */
export class PlaceOrderRequest {
  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 100,
    example: 'customer-42',
    description:
      "The token's subject for a customer (may be left out); required when an admin orders for a customer",
  })
  // Left out is fine; null is not a customer (IsOptional would let it through).
  @ValidateIf((_, value) => value !== undefined)
  @IsString()
  @Length(1, 100)
  customerId?: string;

  @ApiProperty({
    type: [OrderItemRequest],
    minItems: 1,
    maxItems: 100,
    description: 'One line per sku: a sku that repeats an earlier line is refused',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @EachSkuOnce()
  @ValidateNested({ each: true })
  @Type(() => OrderItemRequest)
  items!: OrderItemRequest[];
}
