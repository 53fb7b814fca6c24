import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UnitOfWork } from '@platform/messaging';
import { continueTrace } from '@platform/observability';
import { OrderConfig } from '../config';
import { OrderRepository } from '../orders/persistence/order.repository';
import { OrderSaga } from './order-saga';
import { countOverdueOrdersWith } from './saga.metrics';

/** Orders timed out per transaction: short transactions keep row locks brief. */
const BATCH_SIZE = 50;
const MAX_INTERVAL_MS = 500;
/** How late an order may be before `saga_overdue_orders` counts it: many sweeps, so only a watcher that fails. */
const OVERDUE_GRACE_MS = 10_000;

/**
 * Cancels pending orders whose step got no reply by its deadline (reason TIMEOUT). Runs from application
 * bootstrap to shutdown, checking several times per step timeout; replicas share the work because each
 * batch is claimed with FOR UPDATE SKIP LOCKED.
 */
@Injectable()
export class StepTimeoutWatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(StepTimeoutWatcher.name);
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private stopped = true;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly orders: OrderRepository,
    private readonly saga: OrderSaga,
    config: OrderConfig,
  ) {
    this.intervalMs = Math.min(config.sagaStepTimeoutMs / 4, MAX_INTERVAL_MS);
    countOverdueOrdersWith(() => this.orders.countOverdue(OVERDUE_GRACE_MS));
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stops scheduling and waits for the sweep in flight, before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.sweeping;
  }

  /** Times out every overdue order, batch by batch. */
  private async sweep(): Promise<void> {
    let claimed: number;
    do claimed = await this.timeOutBatch();
    while (claimed === BATCH_SIZE && !this.stopped);
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.sweeping = this.sweep()
        // A failed sweep (database unreachable, say) is tried again at the next tick; it must not end the loop.
        .catch((error: Error) =>
          this.logger.warn(
            `timing out overdue orders failed, trying again in ${this.intervalMs} ms: ${error.message}`,
          ),
        )
        .finally(() => {
          this.sweeping = undefined;
          if (!this.stopped) this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  private timeOutBatch(): Promise<number> {
    return this.unitOfWork.run(async ({ outbox }) => {
      const now = new Date();
      const overdue = await this.orders.claimOverdue(now, BATCH_SIZE);
      for (const { order, traceContext } of overdue) {
        await continueTrace(traceContext, 'order step timed out', { 'order.id': order.id }, () =>
          this.saga.store(order, order.timeOut(now), outbox, now),
        );
      }
      return overdue.length;
    });
  }
}
