/**
 * Hands deliveries to at most `slots` transactions at a time, each holding one database connection, and
 * groups the deliveries that arrive while every slot is busy into batches of up to `maxBatch`: when a slot
 * frees, it takes all that waited (in arrival order) into one transaction. At light load every batch has one
 * delivery and waits for nothing; under load, one BEGIN, COMMIT and relay wake-up serve several deliveries.
 * A delivery submitted `alone` (a redelivery, which may be one that killed the process) is never grouped.
 */
export class DeliveryBatches<T, R> {
  private readonly waiting: Array<{ item: T; alone: boolean; settle: Settle<R> }> = [];
  private running = 0;

  constructor(
    readonly slots: number,
    readonly maxBatch: number,
    /** Handles one batch; resolves with one result per item, in order. */
    private readonly handle: (items: T[]) => Promise<R[]>,
  ) {
    if (!(slots >= 1 && maxBatch >= 1)) throw new Error('slots and maxBatch must be at least 1');
  }

  /** Resolves with this item's result once the batch it went into has been handled. */
  submit(item: T, options: { alone?: boolean } = {}): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, alone: options.alone ?? false, settle: { resolve, reject } });
      this.start();
    });
  }

  /** Deliveries waiting for a slot. */
  get backlog(): number {
    return this.waiting.length;
  }

  private start(): void {
    while (this.running < this.slots && this.waiting.length > 0) {
      const batch = this.waiting[0].alone ? this.waiting.splice(0, 1) : this.takeGroupable();
      this.running += 1;
      this.handle(batch.map(({ item }) => item))
        .then((results) => {
          if (results.length !== batch.length) throw new Error('a batch handler returned the wrong count');
          batch.forEach(({ settle }, index) => settle.resolve(results[index]));
        })
        .catch((error: unknown) => batch.forEach(({ settle }) => settle.reject(error)))
        .finally(() => {
          this.running -= 1;
          this.start();
        });
    }
  }

  /** The waiting deliveries from the front up to the first one that must go alone, at most maxBatch. */
  private takeGroupable() {
    let count = 0;
    while (count < this.waiting.length && count < this.maxBatch && !this.waiting[count].alone) count += 1;
    return this.waiting.splice(0, count);
  }
}

interface Settle<R> {
  resolve(value: R): void;
  reject(error: unknown): void;
}
