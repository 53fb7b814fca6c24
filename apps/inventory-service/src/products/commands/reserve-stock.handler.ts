import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { fromCents, ReserveStock, StockReservationRejected, StockReserved } from '@platform/contracts';
import { UnitOfWork } from '@platform/messaging';
import { TransactionScope } from '@platform/persistence';
import { Reservation, totalCents } from '../domain/reservation';
import { reserveAll } from '../domain/reserve-all';
import { ProductRepository } from '../persistence/product.repository';
import { ReservationRepository } from '../persistence/reservation.repository';

/** Holds stock for every line of an order, or for none, and tells the order saga which. */
@CommandHandler(ReserveStock)
export class ReserveStockHandler implements ICommandHandler<ReserveStock> {
  private readonly logger = new Logger(ReserveStockHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly transactions: TransactionScope,
    private readonly products: ProductRepository,
    private readonly reservations: ReservationRepository,
  ) {}

  async execute({ orderId, lines }: ReserveStock): Promise<void> {
    await this.unitOfWork.run(async ({ outbox }) => {
      const existing = await this.reservations.lockByOrder(orderId);
      if (existing) {
        // Asked again: the same answer. Released first (or settled) meanwhile: nothing more to hold.
        if (existing.status === 'RESERVED') outbox.add(stockReserved(existing));
        this.logger.debug({ msg: 'reservation asked for again', orderId, status: existing.status });
        return;
      }
      const decision = reserveAll(await this.products.lockBySku(lines.map((line) => line.sku)), lines);
      if (!decision.ok) {
        const { reason, skus } = decision;
        outbox.add(StockReservationRejected.v1({ orderId, reason, skus }));
        this.transactions.whenCommitted(() =>
          this.logger.log({ msg: 'stock reservation rejected', orderId, reason, skus }),
        );
        return;
      }
      const reservation: Reservation = { orderId, status: 'RESERVED', lines: decision.lines };
      await this.reservations.save(reservation, decision.products);
      const reply = stockReserved(reservation);
      outbox.add(reply);
      this.transactions.whenCommitted(() =>
        this.logger.log({ msg: 'stock reserved', orderId, lines: reply.lines.length, total: reply.total }),
      );
    });
  }
}

function stockReserved({ orderId, lines }: Reservation): StockReserved {
  return StockReserved.v1({
    orderId,
    lines: lines.map(({ sku, quantity, unitPriceCents }) => ({
      sku,
      quantity,
      unitPrice: fromCents(unitPriceCents),
    })),
    total: fromCents(totalCents(lines)),
  });
}
