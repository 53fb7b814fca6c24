import { z } from 'zod';
import { customerId, money, orderId } from '../fields';
import { command } from '../message';

/**
 * Asks payment to charge an order's total against the customer's credit, at most once per order.
 * After `expiresAt` the order saga has given up, so payment declines instead of charging.
 */
export class ChargePayment extends command(
  'payment',
  'ChargePayment',
  z.object({ orderId, customerId, amount: money, expiresAt: z.iso.datetime() }),
) {}
