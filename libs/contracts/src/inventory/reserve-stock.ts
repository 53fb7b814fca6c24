import { z } from 'zod';
import { orderId, orderLines } from '../fields';
import { command } from '../message';

/**
 * Asks inventory to hold every line of an order, or none; each sku is on one line. Answered by StockReserved
 * or StockReservationRejected.
 */
export class ReserveStock extends command(
  'inventory',
  'ReserveStock',
  z.object({ orderId, lines: orderLines }),
  { sentBy: 'order' },
) {}
