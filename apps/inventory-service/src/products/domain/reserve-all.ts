import { repeatedSkus } from '@platform/contracts';
import { Product } from './product';
import { moveStock, ReservedLine } from './reservation';

/** A line of an order as asked for: which product and how many units. */
export interface RequestedLine {
  readonly sku: string;
  readonly quantity: number;
}

/** Why nothing was reserved. */
export type RejectionReason = 'UNKNOWN_PRODUCT' | 'OUT_OF_STOCK';

/** Every line is held (with the products' new stock), or none is, with the products to blame. */
export type ReserveAllDecision =
  | { readonly ok: true; readonly lines: ReservedLine[]; readonly products: Product[] }
  | { readonly ok: false; readonly reason: RejectionReason; readonly skus: string[] };

/**
 * Decides whether an order's lines can all be reserved from `products` (the locked rows of the skus
 * asked for). Unknown products are reported before shortages. Each sku comes on one line (the ReserveStock
 * contract refuses repeats), so a line's quantity is all that is asked of its product.
 */
export function reserveAll(
  products: readonly Product[],
  requested: readonly RequestedLine[],
): ReserveAllDecision {
  const [repeated] = repeatedSkus(requested);
  if (repeated) {
    throw new RangeError(`line ${repeated.index} repeats sku ${repeated.sku} of line ${repeated.firstIndex}`);
  }
  const bySku = new Map(products.map((product) => [product.sku, product]));
  const unknown = requested.filter((line) => !bySku.has(line.sku)).map((line) => line.sku);
  if (unknown.length > 0) return { ok: false, reason: 'UNKNOWN_PRODUCT', skus: unknown };
  const short = requested
    .filter((line) => bySku.get(line.sku)!.available < line.quantity)
    .map((line) => line.sku);
  if (short.length > 0) return { ok: false, reason: 'OUT_OF_STOCK', skus: short };
  const lines = requested.map(({ sku, quantity }) => ({
    sku,
    quantity,
    unitPriceCents: bySku.get(sku)!.priceCents,
  }));
  const held = moveStock(products, lines, (product, quantity) => ({
    ...product,
    available: product.available - quantity,
    reserved: product.reserved + quantity,
  }));
  return { ok: true, lines, products: held };
}
