import { ValidateBy, ValidationArguments } from 'class-validator';
import { repeatedSkus } from '@platform/contracts';

/** Where lines of a request repeat a sku, as original positions; lines without a string sku are skipped. */
function repeatsIn(items: unknown): Array<{ index: number; firstIndex: number; sku: string }> {
  if (!Array.isArray(items)) return [];
  const lines = items.flatMap((item: unknown, index) => {
    const sku = (item as { sku?: unknown } | null)?.sku;
    return typeof sku === 'string' ? [{ sku, index }] : [];
  });
  return repeatedSkus(lines).map(({ index, firstIndex, sku }) => ({
    index: lines[index].index,
    firstIndex: lines[firstIndex].index,
    sku,
  }));
}

/**
 * Refuses order lines that repeat a sku, naming each repeat: inventory holds and prices stock per sku, so
 * an order names each product once, with the total quantity. Other checks of the lines are left to their DTO.
 */
export const EachSkuOnce = (): PropertyDecorator =>
  ValidateBy({
    name: 'eachSkuOnce',
    validator: {
      validate: (items) => repeatsIn(items).length === 0,
      defaultMessage: ({ property, value }: ValidationArguments) =>
        repeatsIn(value)
          .map(
            ({ index, firstIndex, sku }) =>
              `${property}[${index}].sku ${JSON.stringify(sku)} repeats ${property}[${firstIndex}]; put each SKU on one line`,
          )
          .join('; '),
    },
  });
