import { Injectable } from '@nestjs/common';
import { queryPrepared, TransactionScope } from '@platform/persistence';
import { MoreThan } from 'typeorm';
import { Product } from '../domain/product';
import { ProductRecord } from './product.record';

/** What `put` reads back: the product's columns and whether the upsert inserted it. */
interface PutRow {
  sku: string;
  name: string;
  price_cents: number;
  available: number;
  reserved: number;
  created: boolean;
}

/** Products and their stock, read and written in the open transaction when there is one. */
@Injectable()
export class ProductRepository {
  constructor(private readonly transactions: TransactionScope) {}

  async findBySku(sku: string): Promise<Product | undefined> {
    const record = await this.records().findOneBy({ sku });
    return record ? toProduct(record) : undefined;
  }

  /** Up to `limit` products in sku order, starting after the sku `after`. */
  async list(limit: number, after?: string): Promise<Product[]> {
    const records = await this.records().find({
      where: after === undefined ? {} : { sku: MoreThan(after) },
      order: { sku: 'ASC' },
      take: limit,
    });
    return records.map(toProduct);
  }

  /**
   * Locks the rows of these products until the transaction ends and returns those that exist. Rows are
   * locked in sku order, so transactions that share products queue up instead of deadlocking.
   */
  async lockBySku(skus: readonly string[]): Promise<Product[]> {
    if (skus.length === 0) return [];
    if (!this.transactions.current) throw new Error('locking products needs an open transaction');
    const { rows } = await queryPrepared<Product>(
      this.transactions.manager,
      `SELECT sku, name, price_cents AS "priceCents", available, reserved FROM products
        WHERE sku = ANY($1::text[]) ORDER BY sku FOR UPDATE`,
      [[...new Set(skus)]],
    );
    return rows;
  }

  /**
   * Creates the product or replaces its name, price and available stock in one atomic statement; units
   * reserved by pending orders stay reserved. Says whether the product was created.
   */
  async put(product: Omit<Product, 'reserved'>): Promise<{ product: Product; created: boolean }> {
    const [row]: PutRow[] = await this.transactions.manager.query(
      // xmax is 0 only on a row version this statement inserted, not on one it updated on conflict:
      // https://stackoverflow.com/a/39204667
      `INSERT INTO products (sku, name, price_cents, available) VALUES ($1, $2, $3, $4)
       ON CONFLICT (sku) DO UPDATE
       SET name = excluded.name, price_cents = excluded.price_cents, available = excluded.available,
           updated_at = now()
       RETURNING sku, name, price_cents, available, reserved, (xmax = 0) AS created`,
      [product.sku, product.name, product.priceCents, product.available],
    );
    const { created, price_cents: priceCents, ...columns } = row;
    return { product: { ...columns, priceCents }, created };
  }

  private records() {
    return this.transactions.manager.getRepository(ProductRecord);
  }
}

function toProduct({ sku, name, priceCents, available, reserved }: ProductRecord): Product {
  return { sku, name, priceCents, available, reserved };
}
