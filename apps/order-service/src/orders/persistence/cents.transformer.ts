import { ValueTransformer } from 'typeorm';

/** Reads a `bigint` cents column (which pg returns as a string) as a number; null stays null. */
export const centsColumn: ValueTransformer = {
  to: (cents: number | null) => cents,
  from: (stored: string | null) => (stored === null ? null : Number(stored)),
};
