import { Cents } from '@platform/contracts';

/**
 * Column transformer for `bigint` cents columns: pg returns int8 as a string (it may exceed 2^53), but
 * cents below 9e15 (90 trillion units) are exact JS numbers.
 */
export const centsTransformer = {
  to: (cents: Cents): Cents => cents,
  from: (value: string | null): Cents | null => (value === null ? null : Number(value)),
};
