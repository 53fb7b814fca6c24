import { Cents } from '@platform/contracts';

/** A customer's remaining credit, which payments draw from and refunds give back to. */
export interface Account {
  readonly customerId: string;
  readonly credit: Cents;
}

/**
 * The account of a customer, or the one they implicitly have if never seen: every customer exists and
 * starts with the default credit.
 */
export function accountOrDefault(
  customerId: string,
  stored: Account | undefined,
  defaultCredit: Cents,
): Account {
  return stored ?? { customerId, credit: defaultCredit };
}
