import { z } from 'zod';
import { orderId, sku } from '../fields';
import { event } from '../message';

/** Nothing was reserved for the order: a product is unknown or has too little stock. */
export class StockReservationRejected extends event(
  'inventory',
  'StockReservationRejected',
  z.object({ orderId, reason: z.enum(['OUT_OF_STOCK', 'UNKNOWN_PRODUCT']), skus: z.array(sku) }),
) {}
