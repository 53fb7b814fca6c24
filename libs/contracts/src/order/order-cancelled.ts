import { z } from 'zod';
import { customerEmail, customerId, orderId } from '../fields';
import { event } from '../message';

/** Cancellation reasons of SPEC section 2. */
export const cancellationReasons = [
  'OUT_OF_STOCK',
  'UNKNOWN_PRODUCT',
  'PAYMENT_DECLINED',
  'TIMEOUT',
] as const;
export type CancellationReason = (typeof cancellationReasons)[number];

/** The order will not be fulfilled; whatever was done for it is being compensated. */
export class OrderCancelled extends event(
  'order',
  'OrderCancelled',
  z.object({ orderId, customerId, customerEmail, reason: z.enum(cancellationReasons) }),
) {}
