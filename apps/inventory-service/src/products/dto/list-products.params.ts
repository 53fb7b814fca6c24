import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { SKU_PATTERN } from '../domain/product';
import { SKU_RULE } from './sku.params';

/** Query of `GET /products`: a page of `limit` products after the `cursor` sku. */
export class ListProductsParams {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 100;

  @ApiPropertyOptional({
    pattern: SKU_PATTERN.source,
    description: 'The sku of the last product of the previous page; omit it for the first page',
  })
  @IsOptional()
  @Matches(SKU_PATTERN, { message: `cursor ${SKU_RULE}` })
  cursor?: string;
}
