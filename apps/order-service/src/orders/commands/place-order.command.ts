import { Command } from '@nestjs/cqrs';
import { OrderView } from '../dto/order.view';

/**
 * What placing an order may answer: a new order (as written, so the answer needs no read), the order a retry
 * refers to, or a reused key.
 */
export type PlaceOrderResult =
  | { kind: 'placed'; orderId: string; view: OrderView }
  | { kind: 'replayed'; orderId: string }
  | { kind: 'idempotency-key-reused' };

/** Accepts an order and starts its saga; with an idempotency key, a retried request gets the first order. */
export class PlaceOrder extends Command<PlaceOrderResult> {
  constructor(
    readonly customerId: string,
    readonly items: ReadonlyArray<{ sku: string; quantity: number }>,
    readonly idempotencyKey?: string,
    /** The customer's verified address (its token's `email` claim), kept with the order for its notification. */
    readonly customerEmail?: string,
  ) {
    super();
  }
}
