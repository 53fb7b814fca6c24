import { Injectable, Logger } from '@nestjs/common';
import { ServiceConfig } from '@platform/config';
import { InboxStore } from '../persistence/inbox.store';
import { OutboxStore } from '../persistence/outbox.store';

const BATCH = 500;
const INTERVAL_MS = 60_000;

/**
 * Deletes published outbox rows and inbox records older than MESSAGING_RETENTION_HOURS, in small batches so
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
  async prune(now = new Date()): Promise<{ outbox: number; inbox: number }> {
    const before = new Date(now.getTime() - this.config.messaging.retentionHours * 3_600_000);
    const deleted = { outbox: 0, inbox: 0 };
    let count: number;
    do {
      count = await this.outbox.prunePublished(before, BATCH);
      deleted.outbox += count;
    } while (count === BATCH);
    do {
      count = await this.inbox.prune(before, BATCH);
      deleted.inbox += count;
    } while (count === BATCH);
    return deleted;
  }
}
