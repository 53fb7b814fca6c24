import { ApiProperty } from '@nestjs/swagger';
import { fromCents } from '@platform/contracts';
import { Product } from '../domain/product';

/** A product and its stock as the API shows it. */
export class ProductResponse {
  @ApiProperty({ example: 'coffee-beans-1kg' })
  sku!: string;

  @ApiProperty({ example: 'Coffee beans, 1 kg' })
  name!: string;

  @ApiProperty({ description: 'Unit price, two decimals', example: 12.5 })
  price!: number;

  @ApiProperty({ description: 'Units that can still be reserved', example: 38 })
  available!: number;

  @ApiProperty({ description: 'Units held by orders not yet confirmed or cancelled', example: 2 })
  reserved!: number;

  static of({ sku, name, priceCents, available, reserved }: Product): ProductResponse {
    return { sku, name, price: fromCents(priceCents), available, reserved };
  }
}
