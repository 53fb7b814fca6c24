import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Product } from '../domain/product';
import { ProductRepository } from '../persistence/product.repository';
import { GetProduct } from './get-product.query';

/** Reads one product. */
@QueryHandler(GetProduct)
export class GetProductHandler implements IQueryHandler<GetProduct> {
  constructor(private readonly products: ProductRepository) {}

  execute({ sku }: GetProduct): Promise<Product | undefined> {
    return this.products.findBySku(sku);
  }
}
