import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNumber, IsString, Length, Max, Min } from 'class-validator';
import { HasAtMostTwoDecimals } from '@platform/service';

/** Highest unit price a product may have; keeps cents and order totals exact integers. */
export const MAX_PRICE = 1_000_000;
/** Most units of one product that can be put on sale at once. */
export const MAX_STOCK = 1_000_000_000;

/** Body of `PUT /products/{sku}`: the product's name, unit price and the units now available. */
export class PutProductBody {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Coffee beans, 1 kg' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ minimum: 0, maximum: MAX_PRICE, multipleOf: 0.01, example: 12.5 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @HasAtMostTwoDecimals()
  @Min(0)
  @Max(MAX_PRICE)
  price!: number;

  @ApiProperty({
    minimum: 0,
    maximum: MAX_STOCK,
    example: 40,
    description: 'Becomes `available`; units reserved by pending orders stay reserved on top of it',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_STOCK)
  stock!: number;
}
