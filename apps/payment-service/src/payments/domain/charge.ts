import { Cents } from '@platform/contracts';

/** What charging an amount against a customer's remaining credit comes to. */
export type ChargeDecision =
  | { readonly status: 'CAPTURED'; readonly remainingCredit: Cents }
  | { readonly status: 'DECLINED'; readonly reason: 'INSUFFICIENT_CREDIT' };

/** Whether the order saga has already given up on the charge, so it must never be taken. */
export function isExpired(deadline: Date, now: Date): boolean {
  return now.getTime() > deadline.getTime();
}

/** Captures the amount if the remaining credit covers it, all of it or nothing. */
export function chargeCredit(credit: Cents, amount: Cents): ChargeDecision {
  if (amount > credit) return { status: 'DECLINED', reason: 'INSUFFICIENT_CREDIT' };
  return { status: 'CAPTURED', remainingCredit: credit - amount };
}
