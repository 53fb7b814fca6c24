import { Injectable, Logger } from '@nestjs/common';
import { ServiceConfig } from '@platform/config';
import { DeliveryAttemptsStore } from '../persistence/delivery-attempts.store';
import { InboxStore } from '../persistence/inbox.store';
import { OutboxStore } from '../persistence/outbox.store';

const BATCH = 500;

/** Runs a batched delete until a batch comes back short; returns the total deleted. */
async function inBatches(deleteBatch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  let count: number;
  do {
    count = await deleteBatch(BATCH);
    total += count;
  } while (count === BATCH);
  return total;
}
const INTERVAL_MS = 60_000;

/**
 * Deletes published outbox rows, inbox records and stale delivery attempts older than
 * MESSAGING_RETENTION_HOURS, in small batches so
 * it never holds long locks. The inbox must outlive any redelivery, hence hours, not seconds.
 */
@Injectable()
export class MessagingRetention {
  private readonly logger = new Logger(MessagingRetention.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly inbox: InboxStore,
    private readonly attempts: DeliveryAttemptsStore,
    private readonly config: ServiceConfig,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.prune()
        .then(() => undefined)
        .catch((error: Error) => this.logger.warn(`pruning failed, will try again: ${error.message}`))
        .finally(() => (this.running = undefined));
    }, INTERVAL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Prunes until nothing older than the retention period is left; returns the rows deleted. */
  async prune(now = new Date()): Promise<{ outbox: number; inbox: number; attempts: number }> {
    const before = new Date(now.getTime() - this.config.messaging.retentionHours * 3_600_000);
    return {
      outbox: await inBatches((limit) => this.outbox.prunePublished(before, limit)),
      inbox: await inBatches((limit) => this.inbox.prune(before, limit)),
      attempts: await inBatches((limit) => this.attempts.prune(before, limit)),
    };
  }
}
