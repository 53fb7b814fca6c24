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
 * asked for). Lines of the same product are merged first, so two lines of 3 need 6 available units.
 * Unknown products are reported before shortages.
 */
export function reserveAll(
  products: readonly Product[],
  requested: readonly RequestedLine[],
): ReserveAllDecision {
  const bySku = new Map(products.map((product) => [product.sku, product]));
  const wanted = mergeBySku(requested);
  const unknown = wanted.filter((line) => !bySku.has(line.sku)).map((line) => line.sku);
  if (unknown.length > 0) return { ok: false, reason: 'UNKNOWN_PRODUCT', skus: unknown };
  const short = wanted
    .filter((line) => bySku.get(line.sku)!.available < line.quantity)
    .map((line) => line.sku);
  if (short.length > 0) return { ok: false, reason: 'OUT_OF_STOCK', skus: short };
  const lines = wanted.map((line) => ({ ...line, unitPriceCents: bySku.get(line.sku)!.priceCents }));
  const held = moveStock(products, lines, (product, quantity) => ({
    ...product,
    available: product.available - quantity,
    reserved: product.reserved + quantity,
  }));
  return { ok: true, lines, products: held };
}

function mergeBySku(lines: readonly RequestedLine[]): RequestedLine[] {
  const quantities = new Map<string, number>();
  for (const { sku, quantity } of lines) quantities.set(sku, (quantities.get(sku) ?? 0) + quantity);
  return [...quantities].map(([sku, quantity]) => ({ sku, quantity }));
}
