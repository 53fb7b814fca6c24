import { Injectable, Logger } from '@nestjs/common';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { ConfirmChannel, ChannelModel } from 'amqplib';
import { MessagingSettings, ServiceConfig } from '@platform/config';
import { BrokerConnection } from '../broker/broker-connection';
import { messagingMetrics } from '../messaging.metrics';
import { OutboxListener } from '../persistence/outbox-listener';
import { OutboxRow, OutboxStore } from '../persistence/outbox.store';
import { captureTraceContext, restoreTraceContext } from '../trace-context';
import { publishConfirmed } from '../broker/publish-confirmed';

const tracer = trace.getTracer('@platform/messaging');
const PIPELINED_BATCHES = 2;

/**
 * Publishes outbox rows to RabbitMQ. Woken after a local commit, by LISTEN/NOTIFY from other processes,
 * and by a slow poll as the fallback. Each batch is claimed with FOR UPDATE SKIP LOCKED, published on a
 * confirm channel with `mandatory`, and marked published in the same transaction once confirmed; a row
 * that was nacked or returned as unroutable stays pending and is retried with backoff.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly settings: MessagingSettings;
  private readonly listener: OutboxListener;
  private channel?: ConfirmChannel;
  private pollTimer?: NodeJS.Timeout;
  private wanted = false;
  private readonly draining = new Set<Promise<void>>();
  private stopped = true;

  constructor(
    private readonly store: OutboxStore,
    private readonly broker: BrokerConnection,
    config: ServiceConfig,
  ) {
    this.settings = config.messaging;
    this.listener = new OutboxListener(config.databaseUrl, () => this.wake());
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.broker.onConnected((connection) => this.openChannel(connection));
    this.broker.on('unblocked', () => this.wake());
    this.listener.start();
    this.pollTimer = setInterval(() => this.wake(), this.settings.outboxPollIntervalMs);
    this.pollTimer.unref();
    this.wake();
  }

  /** Finishes the batch in flight and stops; rows left behind are published by the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    await this.listener.stop();
    await Promise.all(this.draining);
  }

  /**
   * Asks for a drain soon; many calls while one runs cost one more pass. A backlog gets a second drain, so
   * one batch is claimed and marked in PostgreSQL while the other waits for RabbitMQ's confirms (SKIP LOCKED
   * keeps their rows apart, as it does between replicas).
   */
  wake(): void {
    this.wanted = true;
    if (this.draining.size >= PIPELINED_BATCHES || this.stopped) return;
    // Outside whatever trace woke us: a batch serves many traces, each row's own context is restored per publish.
    const drain: Promise<void> = context
      .with(ROOT_CONTEXT, () => this.drain())
      .finally(() => this.draining.delete(drain));
    this.draining.add(drain);
  }

  private async openChannel(connection: ChannelModel): Promise<void> {
    const channel = await connection.createConfirmChannel();
    channel.on('error', (error: Error) => this.logger.warn(`relay channel error: ${error.message}`));
    channel.on('close', () => {
      if (this.channel === channel) {
        this.channel = undefined;
        this.broker.recover('outbox relay channel closed');
      }
    });
    this.channel = channel;
    // Rows that failed while the broker was away need not wait out their backoff now that it is back.
    await this.store.retryNow().catch(() => undefined);
    this.wake();
  }

  private async drain(): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      const channel = this.channel;
      if (!channel || this.broker.isBlocked) return;
      try {
        const claimed = await this.publishBatch(channel);
        if (claimed === this.settings.outboxBatchSize) this.wake();
      } catch (error) {
        this.logger.warn(`outbox drain failed, will retry: ${(error as Error).message}`);
        return;
      }
    }
  }

  private publishBatch(channel: ConfirmChannel): Promise<number> {
    return this.store.claimBatch(this.settings.outboxBatchSize, async (rows, manager) => {
      if (rows.length === 0) return 0;
      const results = await Promise.all(rows.map((row) => this.publishRow(channel, row)));
      const published = rows.filter((_, index) => results[index] === undefined);
      const failed = rows.filter((_, index) => results[index] !== undefined);
      await this.store.markPublished(
        manager,
        published.map((row) => row.position),
      );
      if (failed.length > 0) {
        const error = results.find((result) => result !== undefined) ?? 'unknown';
        this.logger.warn(`${failed.length} outbox messages not accepted by RabbitMQ: ${error}`);
        await this.store.markFailed(
          manager,
          failed.map((row) => row.position),
          error,
          500,
        );
      }
      const now = Date.now();
      for (const row of published) messagingMetrics.outboxLag.observe((now - row.createdAt.getTime()) / 1000);
      messagingMetrics.outboxPublished.inc(published.length);
      return rows.length;
    });
  }

  /** Publishes one row under a PRODUCER span that continues the trace stored with it; resolves to an error text or undefined. */
  private publishRow(channel: ConfirmChannel, row: OutboxRow): Promise<string | undefined> {
    const parent = restoreTraceContext(row.traceContext);
    const span = tracer.startSpan(
      `${row.exchange} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.operation.type': 'send',
          'messaging.operation.name': 'publish',
          'messaging.destination.name': row.exchange,
          'messaging.rabbitmq.destination.routing_key': row.routingKey,
          'messaging.message.id': row.messageId,
          'messaging.message.conversation_id': row.correlationId ?? undefined,
        },
      },
      parent,
    );
    const headers = {
      ...captureTraceContext(trace.setSpan(context.active(), span)),
      'x-causation-id': row.causationId ?? undefined,
      'x-schema-version': row.schemaVersion,
    };
    return publishConfirmed(channel, row.exchange, row.routingKey, Buffer.from(row.payload), {
      messageId: row.messageId,
      type: row.type,
      correlationId: row.correlationId ?? undefined,
      timestamp: Math.floor(row.createdAt.getTime() / 1000),
      contentType: 'application/json',
      persistent: true,
      mandatory: true,
      headers,
    }).then(
      () => {
        span.end();
        return undefined;
      },
      (error: Error) => {
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        span.end();
        return error.message;
      },
    );
  }
}
