import { z } from 'zod';
import { money, orderId, pricedLine } from '../fields';
import { event } from '../message';

/** Every line of the order is held; carries the unit prices and the total the customer will be charged. */
export class StockReserved extends event(
  'inventory',
  'StockReserved',
  z.object({ orderId, lines: z.array(pricedLine).min(1), total: money }),
) {}
