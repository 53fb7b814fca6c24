import { z } from 'zod';
import { customerEmail, customerId, money, orderId, pricedLine } from '../fields';
import { event } from '../message';

/** The order is paid and its stock sold; inventory settles the reservation, notification tells the customer. */
export class OrderConfirmed extends event(
  'order',
  'OrderConfirmed',
  z.object({ orderId, customerId, customerEmail, lines: z.array(pricedLine), total: money }),
) {}
