import { Cents } from '@platform/contracts';

/** Where a payment stands: charged, refused, or charged and given back. */
export type PaymentStatus = 'CAPTURED' | 'DECLINED' | 'REFUNDED';

/** Why a charge was refused. */
export type DeclineReason = 'INSUFFICIENT_CREDIT' | 'EXPIRED';

/** The one charge of an order against its customer's credit. */
export interface Payment {
  readonly id: string;
  readonly orderId: string;
  readonly customerId: string;
  readonly amount: Cents;
  readonly status: PaymentStatus;
  /** Set for declined payments only. */
  readonly reason: DeclineReason | null;
}

/** A payment about to be recorded; the database gives it its id. */
export type NewPayment = Omit<Payment, 'id'>;
