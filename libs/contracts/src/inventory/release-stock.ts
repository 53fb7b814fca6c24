import { z } from 'zod';
import { orderId } from '../fields';
import { command } from '../message';

/** Compensation: gives back what was reserved for an order, and refuses any later reservation for it. */
export class ReleaseStock extends command('inventory', 'ReleaseStock', z.object({ orderId }), {
  sentBy: 'order',
}) {}
