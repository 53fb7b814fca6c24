import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { continueTrace } from '@platform/observability';
import { isDatabaseUnavailable, TransactionScope } from '@platform/persistence';
import { NotificationConfig } from '../../config';
import { afterFailedAttempt, RetryPolicy } from '../domain/delivery-retry';
import { DeliveryOutcome, DueNotification } from '../domain/notification';
import { NotificationRepository } from '../persistence/notification.repository';
import { NotificationChannel, Undeliverable } from './notification-channel';
import { withoutAddresses } from './without-addresses';

const BATCH_SIZE = 20;
const POLL_INTERVAL_MS = 1000;
/** How long a claimed notification is this pass's: longer than the slowest send the channel allows. */
const CLAIM_LEASE_MS = 30_000;
const MAX_PAUSE_MS = 2000;
/** How long shutdown waits for the sends in flight; well inside SHUTDOWN_TIMEOUT_MS, which the broker needs too. */
const SHUTDOWN_WAIT_MS = 5000;

/**
 * Delivers pending notifications through the channel, outside the transactions that record them, so a slow
 * or broken mail server never holds up or fails a message. Woken right after a notification commits and
 * by a timer (retries and anything missed); claims due rows in batches that replicas share, marks each SENT,
 * or schedules a retry with backoff until the attempts run out and it is FAILED. No transaction is open while
 * mail is sent, and an outcome that cannot be stored because the database is away is kept and stored once it
 * is back, so a database restart never sends a notification twice. Delivery is still at least once: a
 * process killed between a send and storing its outcome (one statement, right after the send) sends that
 * notification again after its claim runs out, with the same Message-ID, which mail clients fold. On
 * shutdown it waits up to 5 s for the sends in flight and starts no more; a send still hanging then is
 * retried once its claim runs out, like everything not yet sent, by the next start or another replica.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationDispatcher.name);
  private readonly retryPolicy: RetryPolicy;
  private timer?: NodeJS.Timeout;
  private wanted = false;
  private draining?: Promise<void>;
  private stopped = true;

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly channel: NotificationChannel,
    private readonly transactions: TransactionScope,
    config: NotificationConfig,
  ) {
    this.retryPolicy = { maxAttempts: config.deliveryMaxAttempts, baseDelayMs: config.deliveryRetryBaseMs };
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), POLL_INTERVAL_MS);
    this.timer.unref();
    this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    if (!this.draining) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([
      this.draining.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), SHUTDOWN_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (gaveUp) {
      this.logger.warn(
        `sends still in flight after ${SHUTDOWN_WAIT_MS} ms of shutdown; they are retried after their claim runs out`,
      );
    }
  }

  /** Wakes once the caller's transaction has committed, when the new row becomes visible to the claim. */
  wakeAfterCommit(): void {
    const transaction = this.transactions.current;
    if (transaction) transaction.afterCommit(() => this.wake());
    else this.wake();
  }

  /** Asks for a delivery pass soon; many calls while one runs cost one more pass. */
  wake(): void {
    this.wanted = true;
    if (!this.draining && !this.stopped)
      this.draining = this.drain().finally(() => (this.draining = undefined));
  }

  private async drain(): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      try {
        const due = await this.notifications.claimDue(BATCH_SIZE, CLAIM_LEASE_MS);
        if (due.length === 0) continue;
        // Each outcome is stored as soon as its send ends, not with the batch's slowest: a process killed
        // between a send and its store sends that one again, so that window stays one statement long.
        await Promise.all(due.map(async (notification) => this.store([await this.deliver(notification)])));
        if (due.length === BATCH_SIZE) this.wanted = true;
      } catch (error) {
        this.logger.warn(`notification delivery pass failed, will retry: ${(error as Error).message}`);
        return;
      }
    }
  }

  /** Stores the outcomes, waiting out an unreachable database: forgetting a SENT would send it again. */
  private async store(outcomes: DeliveryOutcome[]): Promise<void> {
    for (let pause = 100; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
      try {
        return await this.notifications.storeOutcomes(outcomes);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        this.logger.warn(
          `database unavailable, keeping ${outcomes.length} delivery outcomes for ${pause} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /** One attempt, as a span of the order's trace, so its log lines carry that trace too. */
  private deliver({ attempts, trace, ...message }: DueNotification): Promise<DeliveryOutcome> {
    const { id, orderId, type } = message;
    const about = { notificationId: id, orderId, type, channel: this.channel.name, attempt: attempts + 1 };
    return continueTrace(trace, 'notification deliver', { 'order.id': orderId }, async () => {
      try {
        await this.channel.send(message);
        this.logger.log({ msg: 'notification sent', ...about });
        return { id, status: 'SENT', channel: this.channel.name };
      } catch (failure) {
        const error = failure instanceof Error ? failure.message : String(failure);
        const decision =
          failure instanceof Undeliverable
            ? ({ status: 'FAILED' } as const)
            : afterFailedAttempt(attempts + 1, this.retryPolicy);
        const msg =
          decision.status === 'FAILED' ? 'notification failed for good' : 'notification delivery failed';
        this.logger.warn({ msg, error: withoutAddresses(error), ...about, ...decision });
        return { id, ...decision, error };
      }
    });
  }
}
