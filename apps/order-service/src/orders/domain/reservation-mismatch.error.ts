/**
 * Inventory's reservation does not fit the order (other lines, or a total that is not the sum of its lines).
 * A broken contract, not a business outcome: thrown so the reply is retried and then dead-lettered.
 */
export class ReservationMismatchError extends Error {
  constructor(orderId: string, problem: string) {
    super(`stock reservation for order ${orderId} does not match the order: ${problem}`);
    this.name = 'ReservationMismatchError';
  }
}
