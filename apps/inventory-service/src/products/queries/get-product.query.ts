import { Query } from '@nestjs/cqrs';
import { Product } from '../domain/product';

/** The product with this sku, if there is one. */
export class GetProduct extends Query<Product | undefined> {
  constructor(readonly sku: string) {
    super();
  }
}
