import { Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ReleaseStock } from '@platform/contracts';
import { UnitOfWork } from '@platform/messaging';
import { TransactionScope } from '@platform/persistence';
import { releaseReservation } from '../domain/release-reservation';
import { heldSkus } from '../domain/reservation';
import { ProductRepository } from '../persistence/product.repository';
import { ReservationRepository } from '../persistence/reservation.repository';

/** Compensation from the order saga: gives an order's held stock back, or refuses it in advance if none yet. */
@CommandHandler(ReleaseStock)
export class ReleaseStockHandler implements ICommandHandler<ReleaseStock> {
  private readonly logger = new Logger(ReleaseStockHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly transactions: TransactionScope,
    private readonly products: ProductRepository,
    private readonly reservations: ReservationRepository,
  ) {}

  async execute({ orderId }: ReleaseStock): Promise<void> {
    await this.unitOfWork.run(async () => {
      const reservation = await this.reservations.lockByOrder(orderId);
      const products = await this.products.lockBySku(heldSkus(reservation));
      const change = releaseReservation(orderId, reservation, products);
      if (!change) {
        this.logger.debug({ msg: 'nothing to release', orderId, status: reservation?.status });
        return;
      }
      await this.reservations.save(change.reservation, change.products);
      const msg = reservation
        ? 'stock released'
        : 'release recorded before any reservation; none will be made';
      this.transactions.whenCommitted(() => this.logger.log({ msg, orderId }));
    });
  }
}
