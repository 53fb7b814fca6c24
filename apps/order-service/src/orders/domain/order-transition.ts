import {
  CancellationReason,
  ChargePayment,
  OrderCancelled,
  OrderConfirmed,
  RefundPayment,
  ReleaseStock,
} from '@platform/contracts';

/** Stock is held and priced; the saga now waits for the payment asked for by ChargePayment. */
export interface PaymentRequested {
  readonly kind: 'payment-requested';
  readonly messages: [ChargePayment];
}

/** The order is paid: the saga ended well. */
export interface Confirmed {
  readonly kind: 'confirmed';
  readonly messages: [OrderConfirmed];
}

/** The saga ended without the order; the messages compensate whatever may have been done for it. */
export interface Cancelled {
  readonly kind: 'cancelled';
  readonly reason: CancellationReason;
  readonly messages: Array<ReleaseStock | OrderCancelled>;
}

/** A late reply for an order cancelled meanwhile: the order stays cancelled and what the reply did is undone. */
export interface Compensated {
  readonly kind: 'compensated';
  readonly messages: [ReleaseStock | RefundPayment];
}

/** A duplicate or out-of-order reply, or a step not yet due: nothing changes and nothing is sent. */
export interface Unchanged {
  readonly kind: 'unchanged';
  readonly messages: [];
}

/** What one step of the saga did to an order, with the messages to send for it. */
export type OrderTransition = PaymentRequested | Confirmed | Cancelled | Compensated | Unchanged;

/** The transitions that end the saga. */
export type SagaEnd = Confirmed | Cancelled;

/** Whether a transition ended the saga (for timing it, say). */
export function endsSaga(transition: OrderTransition): transition is SagaEnd {
  return transition.kind === 'confirmed' || transition.kind === 'cancelled';
}
