/**
 * A product on sale. `available` units can still be reserved; `reserved` units are held by orders that are
 * neither confirmed nor cancelled yet. Prices are whole cents.
 */
export interface Product {
  readonly sku: string;
  readonly name: string;
  readonly priceCents: number;
  readonly available: number;
  readonly reserved: number;
}

/** A sku: 1 to 64 letters, digits, '.', '_' or '-'. */
export const SKU_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
