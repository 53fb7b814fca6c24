import { z } from 'zod';
import { customerId, money, orderId } from '../fields';
import { command } from '../message';

/**
 * Asks payment to charge an order's total against the customer's credit, at most once per order. The order
 * saga waits `validForMs` from when the command was published (its `x-published-at`); after that it has
 * given up, so payment declines instead of charging. `expiresAt` is the same deadline counted from when the
 * charge was requested, for a consumer that cannot tell when the command was sent.
 */
export class ChargePayment extends command(
  'payment',
  'ChargePayment',
  z.object({
    orderId,
    customerId,
    amount: money,
    expiresAt: z.iso.datetime(),
    validForMs: z.number().int().positive().max(86_400_000).optional(),
  }),
) {}
