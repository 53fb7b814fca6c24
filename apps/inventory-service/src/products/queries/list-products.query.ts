import { Query } from '@nestjs/cqrs';
import { Product } from '../domain/product';

/** One page of products in sku order: up to `limit`, starting after the sku `after` (the last one seen). */
export class ListProducts extends Query<Product[]> {
  constructor(
    readonly limit: number,
    readonly after?: string,
  ) {
    super();
  }
}
