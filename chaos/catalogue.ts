import { httpClient } from '@platform/testing';

/** One product of a fault's catalogue, with the stock it starts with. */
export interface SeededProduct {
  sku: string;
  priceCents: number;
  stock: number;
}

/** One customer of a fault, with the credit it starts with. */
export interface SeededCustomer {
  id: string;
  creditCents: number;
}

/**
 * What one fault's orders are about: products and customers of its own (named after the fault, so its
 * accounting reads only its rows), sized so that a load window ends with a mix of confirmed orders, orders out
 * of stock and declined payments, and a SKU that does not exist.
 */
export interface Catalogue {
  /** Prefix of every SKU and customer id of this fault. */
  tag: string;
  products: SeededProduct[];
  customers: SeededCustomer[];
  unknownSku: string;
}

const PRODUCTS = 8;
const CUSTOMERS = 10;

export function catalogueFor(tag: string): Catalogue {
  return {
    tag,
    products: Array.from({ length: PRODUCTS }, (_, index) => ({
      sku: `${tag}-sku-${index + 1}`,
      priceCents: 125 + index * 113,
      stock: 120,
    })),
    customers: Array.from({ length: CUSTOMERS }, (_, index) => ({
      id: `${tag}-customer-${index + 1}`,
      creditCents: 25_000 + index * 2_500,
    })),
    unknownSku: `${tag}-sku-unknown`,
  };
}

/** Creates the products and accounts through the public API. */
export async function seedCatalogue(
  catalogue: Catalogue,
  urls: { inventory: string; payment: string },
): Promise<void> {
  const inventory = httpClient(urls.inventory);
  const payment = httpClient(urls.payment);
  for (const product of catalogue.products) {
    const answer = await inventory.put(`/products/${product.sku}`, {
      name: product.sku,
      price: product.priceCents / 100,
      stock: product.stock,
    });
    if (answer.status >= 300)
      throw new Error(`PUT /products/${product.sku}: ${answer.status} ${answer.text}`);
  }
  for (const customer of catalogue.customers) {
    const answer = await payment.put(`/accounts/${customer.id}`, { credit: customer.creditCents / 100 });
    if (answer.status >= 300)
      throw new Error(`PUT /accounts/${customer.id}: ${answer.status} ${answer.text}`);
  }
}
