import { z } from 'zod';
import { orderId, orderLine } from '../fields';
import { command } from '../message';

/** Asks inventory to hold every line of an order, or none. Answered by StockReserved or StockReservationRejected. */
export class ReserveStock extends command(
  'inventory',
  'ReserveStock',
  z.object({ orderId, lines: z.array(orderLine).min(1).max(100) }),
) {}
