import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { SKU_PATTERN } from '../domain/product';

/** Why a sku was refused, in the words of every 400 about one. */
export const SKU_RULE = "must be 1 to 64 letters, digits, '.', '_' or '-'";

/** The `{sku}` path parameter. */
export class SkuParams {
  @ApiProperty({ pattern: SKU_PATTERN.source, example: 'coffee-beans-1kg' })
  @Matches(SKU_PATTERN, { message: `sku ${SKU_RULE}` })
  sku!: string;
}
