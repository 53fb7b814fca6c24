import { z } from 'zod';
import { isWholeCents } from './money';
import { repeatedSkus } from './repeated-skus';

/** Field schemas shared by several messages. */
export const orderId = z.uuid();
export const customerId = z.string().min(1).max(100);
export const sku = z.string().min(1).max(64);
export const quantity = z.number().int().positive().max(1_000_000);
/** Money as a number with at most two decimals. */
export const money = z.number().nonnegative().refine(isWholeCents, 'must have at most two decimals');

export const orderLine = z.object({ sku, quantity });
export const pricedLine = z.object({ sku, quantity, unitPrice: money });

/** The lines of one order: 1 to 100, each sku on one line only. */
export const orderLines = z
  .array(orderLine)
  .min(1)
  .max(100)
  .superRefine((lines, context) => {
    for (const { index, firstIndex, sku } of repeatedSkus(lines)) {
      context.addIssue({
        code: 'custom',
        path: [index, 'sku'],
        message: `sku ${JSON.stringify(sku)} repeats line ${firstIndex}; each sku goes on one line`,
      });
    }
  });
