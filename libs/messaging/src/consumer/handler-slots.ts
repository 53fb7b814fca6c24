/**
 * A counting semaphore: at most `size` handlers run at once in this process. Each handler holds a database
 * connection for its transaction, so the slots are sized from the pool and deliveries beyond them wait
 * here (unacknowledged, holding their prefetch) instead of timing out on the pool.
 */
export class HandlerSlots {
  private readonly waiting: Array<() => void> = [];
  private busy = 0;

  constructor(readonly size: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.busy >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.busy += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.busy -= 1;
    }
  }
}
