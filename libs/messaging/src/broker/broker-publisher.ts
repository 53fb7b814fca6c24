import { Injectable, Logger } from '@nestjs/common';
import { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import { ServiceConfig } from '@platform/config';
import { PublisherConnection } from './publisher-connection';
import { PublishNacked, publishConfirmed } from './publish-confirmed';

/** At most one rebuild of the publishing connection per this interval for nacked publishes. */
const NACK_RECOVERY_INTERVAL_MS = 5000;

/**
 * Publishes with publisher confirms on the service's publishing connection. Every publish settles within
 * OUTBOX_CONFIRM_TIMEOUT_MS: confirmed, refused (nacked, unroutable, channel closed), blocked by a broker
 * alarm, or timed out. A publish that gets no confirm in time means the channel can no longer be trusted,
 * so the connection is rebuilt. So does a nack, at most once per NACK_RECOVERY_INTERVAL_MS: in a cluster, a
 * channel that published to a quorum queue whose leader's node died went on being refused (RabbitMQ 3.10,
 * `npm run test:cluster`) until it was reopened, while a new connection published at once.
 */
@Injectable()
export class BrokerPublisher {
  private readonly logger = new Logger(BrokerPublisher.name);
  private readonly confirmTimeoutMs: number;
  private readonly pending = new Set<(error: Error) => void>();
  private channel?: ConfirmChannel;
  private lastNackRecovery = 0;

  constructor(
    private readonly connection: PublisherConnection,
    config: ServiceConfig,
  ) {
    this.confirmTimeoutMs = config.messaging.outboxConfirmTimeoutMs;
    // A blocked connection confirms nothing until the alarm clears: give the callers their messages back now.
    connection.on('blocked', () => this.failPending('RabbitMQ blocks publishing (memory or disk alarm)'));
    connection.on('disconnected', () => this.failPending('the connection to RabbitMQ was lost'));
  }

  /** Opens a confirm channel on every (re)connect of the publishing connection. */
  async start(): Promise<void> {
    await this.connection.onConnected((connection) => this.open(connection));
  }

  /** Whether a publish could be accepted right now. */
  get canPublish(): boolean {
    return this.channel !== undefined && this.connection.isReady && !this.connection.isBlocked;
  }

  /** Publishes one message and resolves once RabbitMQ has confirmed it; see the class comment for failures. */
  publish(exchange: string, routingKey: string, body: Buffer, options: Options.Publish): Promise<void> {
    const channel = this.channel;
    if (!channel || !this.connection.isReady) return Promise.reject(new Error('not connected to RabbitMQ'));
    if (this.connection.isBlocked) {
      return Promise.reject(new Error('RabbitMQ blocks publishing (memory or disk alarm)'));
    }
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.pending.delete(settle);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => {
        settle(new Error(`no confirm from RabbitMQ within ${this.confirmTimeoutMs} ms`));
        this.connection.recover(`a publish was not confirmed within ${this.confirmTimeoutMs} ms`);
      }, this.confirmTimeoutMs);
      this.pending.add(settle);
      publishConfirmed(channel, exchange, routingKey, body, options).then(
        () => settle(),
        (error: Error) => {
          settle(error);
          if (error instanceof PublishNacked) this.recoverAfterNack();
        },
      );
    });
  }

  private async open(connection: ChannelModel): Promise<void> {
    const channel = await connection.createConfirmChannel();
    channel.on('error', (error: Error) => this.logger.warn(`publisher channel error: ${error.message}`));
    channel.on('close', () => {
      if (this.channel !== channel) return;
      this.channel = undefined;
      this.failPending('the publisher channel closed');
      this.connection.recover('publisher channel closed');
    });
    this.channel = channel;
  }

  private recoverAfterNack(): void {
    const now = Date.now();
    if (now - this.lastNackRecovery < NACK_RECOVERY_INTERVAL_MS) return;
    this.lastNackRecovery = now;
    this.connection.recover('RabbitMQ refused (nacked) a publish; a queue may have a new leader');
  }

  private failPending(reason: string): void {
    for (const settle of [...this.pending]) settle(new Error(reason));
  }
}
