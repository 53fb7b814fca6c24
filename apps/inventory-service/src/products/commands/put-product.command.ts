import { Command } from '@nestjs/cqrs';
import { Product } from '../domain/product';

/** What PutProduct did: the product as stored now, and whether it was new. */
export interface PutProductResult {
  product: Product;
  created: boolean;
}

/** Creates a product, or replaces its name, price and available stock (`stock`); reserved units stay reserved. */
export class PutProduct extends Command<PutProductResult> {
  constructor(
    readonly sku: string,
    readonly name: string,
    readonly priceCents: number,
    readonly stock: number,
  ) {
    super();
  }
}
