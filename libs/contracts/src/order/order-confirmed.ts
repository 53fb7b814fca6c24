import { z } from 'zod';
import { customerId, money, orderId, pricedLine } from '../fields';
import { event } from '../message';

/** The order is paid and its stock sold; inventory settles the reservation, notification tells the customer. */
export class OrderConfirmed extends event(
  'order',
  'OrderConfirmed',
  z.object({ orderId, customerId, lines: z.array(pricedLine), total: money }),
) {}
