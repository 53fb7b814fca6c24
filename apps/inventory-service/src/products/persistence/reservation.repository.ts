import { Injectable } from '@nestjs/common';
import { queryPrepared, TransactionScope } from '@platform/persistence';
import { fromCents, toCents } from '@platform/contracts';
import { Product } from '../domain/product';
import { Reservation } from '../domain/reservation';
import { ReservationRecord, StoredLine } from './reservation.record';

/** The reservation of each order, read and written in the open transaction. */
@Injectable()
export class ReservationRepository {
  constructor(private readonly transactions: TransactionScope) {}

  /**
   * Takes the order's lock until the transaction ends, then reads its reservation. Every message about an
   * order starts here, so a release racing a reserve for the same order waits for it and then reads what
   * it committed (each statement sees fresh data under READ COMMITTED), even when no row existed before.
   */
  async lockByOrder(orderId: string): Promise<Reservation | undefined> {
    if (!this.transactions.current) throw new Error('locking a reservation needs an open transaction');
    const manager = this.transactions.manager;
    await queryPrepared(manager, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [orderId]);
    const {
      rows: [row],
    } = await queryPrepared<Pick<ReservationRecord, 'orderId' | 'status' | 'lines'>>(
      manager,
      `SELECT order_id AS "orderId", status, lines FROM reservations WHERE order_id = $1`,
      [orderId],
    );
    return row ? toReservation(row) : undefined;
  }

  /**
   * Writes the reservation and the stock (available and reserved) of the products it changed, locked with
   * ProductRepository.lockBySku, in one statement.
   */
  async save({ orderId, status, lines }: Reservation, stock: readonly Product[]): Promise<void> {
    const stored: StoredLine[] = lines.map(({ sku, quantity, unitPriceCents }) => ({
      sku,
      quantity,
      unitPrice: fromCents(unitPriceCents),
    }));
    await queryPrepared(
      this.transactions.manager,
      `WITH stock AS (
         UPDATE products AS product
            SET available = stock.available, reserved = stock.reserved, updated_at = now()
           FROM unnest($4::text[], $5::integer[], $6::integer[]) AS stock (sku, available, reserved)
          WHERE product.sku = stock.sku)
       INSERT INTO reservations (order_id, status, lines) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (order_id) DO UPDATE
       SET status = excluded.status, lines = excluded.lines, updated_at = now()`,
      [
        orderId,
        status,
        JSON.stringify(stored),
        stock.map((product) => product.sku),
        stock.map((product) => product.available),
        stock.map((product) => product.reserved),
      ],
    );
  }
}

function toReservation({
  orderId,
  status,
  lines,
}: Pick<ReservationRecord, 'orderId' | 'status' | 'lines'>): Reservation {
  return {
    orderId,
    status,
    lines: lines.map(({ sku, quantity, unitPrice }) => ({
      sku,
      quantity,
      unitPriceCents: toCents(unitPrice),
    })),
  };
}
