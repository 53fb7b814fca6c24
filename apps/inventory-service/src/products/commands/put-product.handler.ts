import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ProductRepository } from '../persistence/product.repository';
import { PutProduct, PutProductResult } from './put-product.command';

/** Stores a product in one atomic upsert, so concurrent puts of a new sku create it once. */
@CommandHandler(PutProduct)
export class PutProductHandler implements ICommandHandler<PutProduct> {
  constructor(private readonly products: ProductRepository) {}

  execute({ sku, name, priceCents, stock }: PutProduct): Promise<PutProductResult> {
    return this.products.put({ sku, name, priceCents, available: stock });
  }
}
