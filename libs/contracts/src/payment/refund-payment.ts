import { z } from 'zod';
import { orderId } from '../fields';
import { command } from '../message';

/** Compensation: returns a captured payment of an order that was cancelled meanwhile. */
export class RefundPayment extends command('payment', 'RefundPayment', z.object({ orderId }), {
  sentBy: 'order',
}) {}
