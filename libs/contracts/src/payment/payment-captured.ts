import { z } from 'zod';
import { customerId, money, orderId } from '../fields';
import { event } from '../message';

/** The order's total was charged to the customer's credit. */
export class PaymentCaptured extends event(
  'payment',
  'PaymentCaptured',
  z.object({ orderId, customerId, paymentId: z.uuid(), amount: money }),
) {}
