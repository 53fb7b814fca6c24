import { Payment } from './payment';

/** What a refund request comes to: the refunded payment, or why there is nothing to give back. */
export type RefundDecision =
  | { readonly refunded: true; readonly payment: Payment }
  | { readonly refunded: false; readonly reason: string };

/** Only a captured payment can be refunded, and only once; anything else is left as it is. */
export function refund(payment: Payment | undefined): RefundDecision {
  if (!payment) return { refunded: false, reason: 'no payment was recorded for the order' };
  if (payment.status !== 'CAPTURED') return { refunded: false, reason: `the payment is ${payment.status}` };
  return { refunded: true, payment: { ...payment, status: 'REFUNDED' } };
}
