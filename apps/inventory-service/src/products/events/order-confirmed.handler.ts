import { Logger } from '@nestjs/common';
import { EventsHandler, IEventHandler } from '@nestjs/cqrs';
import { OrderConfirmed } from '@platform/contracts';
import { UnitOfWork } from '@platform/messaging';
import { TransactionScope } from '@platform/persistence';
import { heldSkus } from '../domain/reservation';
import { settleReservation } from '../domain/settle-reservation';
import { ProductRepository } from '../persistence/product.repository';
import { ReservationRepository } from '../persistence/reservation.repository';

/** A confirmed order has bought what it reserved: settles the reservation, its units leave `reserved`. */
@EventsHandler(OrderConfirmed)
export class OrderConfirmedHandler implements IEventHandler<OrderConfirmed> {
  private readonly logger = new Logger(OrderConfirmedHandler.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly transactions: TransactionScope,
    private readonly products: ProductRepository,
    private readonly reservations: ReservationRepository,
  ) {}

  async handle({ orderId }: OrderConfirmed): Promise<void> {
    await this.unitOfWork.run(async () => {
      const reservation = await this.reservations.lockByOrder(orderId);
      const products = await this.products.lockBySku(heldSkus(reservation));
      const change = settleReservation(reservation, products);
      if (!change) {
        this.logger.debug({ msg: 'nothing to settle', orderId, status: reservation?.status });
        return;
      }
      await this.reservations.save(change.reservation, change.products);
      this.transactions.whenCommitted(() => this.logger.log({ msg: 'stock settled: sold', orderId }));
    });
  }
}
