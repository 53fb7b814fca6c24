import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Product } from '../domain/product';
import { ProductRepository } from '../persistence/product.repository';
import { ListProducts } from './list-products.query';

/** Reads one page of products. */
@QueryHandler(ListProducts)
export class ListProductsHandler implements IQueryHandler<ListProducts> {
  constructor(private readonly products: ProductRepository) {}

  execute({ limit, after }: ListProducts): Promise<Product[]> {
    return this.products.list(limit, after);
  }
}
