import { z } from 'zod';
import { orderId } from '../fields';
import { event } from '../message';

/** The order was not charged: too little credit left, or the charge came after the saga gave up. */
export class PaymentDeclined extends event(
  'payment',
  'PaymentDeclined',
  z.object({ orderId, reason: z.enum(['INSUFFICIENT_CREDIT', 'EXPIRED']) }),
) {}
