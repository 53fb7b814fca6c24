/**
 * A counting semaphore: at most `size` tasks run at once in this process; the rest wait here in order. The
 * consumer uses one of size 1 so that redelivered messages (possibly ones that killed the process) run one
 * at a time.
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
