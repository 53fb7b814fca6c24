import { buildMessage, ValidateBy } from 'class-validator';
import { isWholeCents } from '@platform/contracts';

/**
 * Accepts a number with at most two decimals, an amount of whole cents; other types are left to `@IsNumber`.
 * Not `IsNumber({ maxDecimalPlaces: 2 })`: class-validator counts decimals in `toString()` and throws
 * on exponent forms such as 1e-7.
 */
export const HasAtMostTwoDecimals = (): PropertyDecorator =>
  ValidateBy({
    name: 'hasAtMostTwoDecimals',
    validator: {
      validate: (value) => typeof value !== 'number' || isWholeCents(value),
      defaultMessage: buildMessage((each) => `${each}$property must have at most two decimals`),
    },
  });
