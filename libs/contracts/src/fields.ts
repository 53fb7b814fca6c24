import { z } from 'zod';
import { isWholeCents } from './money';
import { repeatedSkus } from './repeated-skus';
import { storableTextProblem } from './storable-text';

/** A string of `min` to `max` characters that a database can store exactly as sent. */
export const storableText = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .superRefine((value, context) => {
      const problem = storableTextProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    });

/** Field schemas shared by several messages. */
export const orderId = z.uuid();
export const customerId = storableText(1, 100);
/**
 * The address the customer's identity provider vouched for (the token's `email` claim), the only one
 * notifications may be mailed to. Optional and additive: a consumer that does not know it ignores it.
 */
export const customerEmail = z.email().max(254).optional();
export const sku = storableText(1, 64);
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
