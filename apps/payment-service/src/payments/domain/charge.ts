import { Cents } from '@platform/contracts';

/** What charging an amount against a customer's remaining credit comes to. */
export type ChargeDecision =
  | { readonly status: 'CAPTURED'; readonly remainingCredit: Cents }
  | { readonly status: 'DECLINED'; readonly reason: 'INSUFFICIENT_CREDIT' };

/**
 * Until when the order saga waits for the charge: `validForMs` from when the command was published, when both
 * are known; else its `expiresAt`, which counts from when the charge was requested and so is too early when
 * the command waited in its sender's outbox (a broker outage).
 */
export function chargeDeadline(
  request: { expiresAt: string; validForMs?: number },
  publishedAt: Date | undefined,
): Date {
  if (request.validForMs !== undefined && publishedAt) {
    return new Date(publishedAt.getTime() + request.validForMs);
  }
  return new Date(request.expiresAt);
}

/** Whether the order saga has already given up on the charge, so it must never be taken. */
export function isExpired(expiresAt: Date, now: Date): boolean {
  return now.getTime() > expiresAt.getTime();
}

/** Captures the amount if the remaining credit covers it, all of it or nothing. */
export function chargeCredit(credit: Cents, amount: Cents): ChargeDecision {
  if (amount > credit) return { status: 'DECLINED', reason: 'INSUFFICIENT_CREDIT' };
  return { status: 'CAPTURED', remainingCredit: credit - amount };
}
