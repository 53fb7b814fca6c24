import { fromCents, PaymentCaptured, PaymentDeclined } from '@platform/contracts';
import { Payment } from '../domain/payment';

/**
 * The event that tells the order saga how its charge went. A refunded payment was captured first, so a
 * late duplicate charge of it hears "captured" again, as the first one did.
 */
export function paymentOutcome(payment: Payment): PaymentCaptured | PaymentDeclined {
  const { id, orderId, customerId, amount, status, reason } = payment;
  if (status === 'DECLINED') {
    if (!reason) throw new Error(`declined payment ${id} of order ${orderId} has no reason`);
    return PaymentDeclined.v1({ orderId, reason });
  }
  return PaymentCaptured.v1({ orderId, customerId, paymentId: id, amount: fromCents(amount) });
}
