import { Injectable } from '@nestjs/common';
import { queryPrepared, TransactionScope } from '@platform/persistence';
import { fromCents, toCents } from '@platform/contracts';
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
    const record = await manager.findOneBy(ReservationRecord, { orderId });
    return record ? toReservation(record) : undefined;
  }

  async save({ orderId, status, lines }: Reservation): Promise<void> {
    const stored: StoredLine[] = lines.map(({ sku, quantity, unitPriceCents }) => ({
      sku,
      quantity,
      unitPrice: fromCents(unitPriceCents),
    }));
    await queryPrepared(
      this.transactions.manager,
      `INSERT INTO reservations (order_id, status, lines) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (order_id) DO UPDATE
       SET status = excluded.status, lines = excluded.lines, updated_at = now()`,
      [orderId, status, JSON.stringify(stored)],
    );
  }
}

function toReservation({ orderId, status, lines }: ReservationRecord): Reservation {
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
