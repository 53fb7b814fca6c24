import { Injectable, Logger } from '@nestjs/common';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { MessagingSettings, ServiceConfig, TestFaults } from '@platform/config';
import { consumers, MessageType } from '@platform/contracts';
import { BrokerPublisher } from '../broker/broker-publisher';
import { brokerUserIn } from '../broker/broker-user';
import { PUBLISHED_AT_HEADER } from '../consumer/delivery-context';
import { PublisherConnection } from '../broker/publisher-connection';
import { EVENTS_EXCHANGE, systemTopology } from '../broker/topology';
import { CrashPoints } from '../faults/crash-points';
import { messagingMetrics } from '../messaging.metrics';
import { OutboxListener } from '../persistence/outbox-listener';
import { OutboxRow, OutboxStore } from '../persistence/outbox.store';
import { captureTraceContext, restoreTraceContext } from '../trace-context';

const tracer = trace.getTracer('@platform/messaging');
const PIPELINED_BATCHES = 2;
const FAILED_ROW_RETRY_MS = 500;
/** How long a NOTIFY from another process waits before this relay looks (its writer's relay goes first). */
const NOTIFIED_WAKE_DELAY_MS = 100;

/** A message the relay has just published, as a publish listener sees it. */
export interface PublishedMessage {
  messageId: string;
  correlationId: string | null;
  publishedAt: Date;
}

/** Runs inside the relay's transaction that marks the messages published, so its writes commit with the mark. */
export type PublishListener = (published: PublishedMessage[]) => Promise<void>;

/** Whether the relay keeps up: `stalled` when rows have waited past OUTBOX_STALL_TIMEOUT_MS with no publish. */
export interface RelayHealth {
  stalled: boolean;
  reason?: string;
}

/**
 * Publishes outbox rows to RabbitMQ. Woken after a local commit, by LISTEN/NOTIFY from other processes
 * (100 ms after, coalesced: their own relay goes first; its own process's NOTIFYs are ignored, the commit
 * already woke it),
 * and by a slow poll as the fallback. Each batch is claimed with FOR UPDATE SKIP LOCKED, published with
 * confirms and `mandatory` (except events no service subscribes to in libs/contracts consumers: nobody
 * wants those yet, so RabbitMQ dropping them is no loss), and marked in the same transaction; the wait for confirms is bounded, so a
 * broker that stops confirming never holds row locks longer than OUTBOX_CONFIRM_TIMEOUT_MS. Rows that were
 * not confirmed stay pending with their error and are retried with backoff, at once when the broker is back.
 * A watchdog rebuilds the publishing connection when rows wait with nothing published (and readiness
 * reports it), so no lost state can keep the relay silent.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly settings: MessagingSettings;
  /** `user-id` of everything it publishes: the broker user it connects as, which RabbitMQ validates. */
  private readonly brokerUser: string;
  private readonly faults: TestFaults;
  private readonly listener: OutboxListener;
  private readonly draining = new Set<Promise<void>>();
  private pollTimer?: NodeJS.Timeout;
  private watchdogTimer?: NodeJS.Timeout;
  private wanted = false;
  private stopped = true;
  private lastPublishAt = Date.now();
  private lastRecoveryAt = 0;
  private health: RelayHealth = { stalled: false };
  private readonly listeners = new Map<string, PublishListener[]>();
  private notifiedTimer?: NodeJS.Timeout;
  /** Routing keys some queue of the system is bound to: a return for one of them is a failure. */
  private readonly subscribed = new Set(
    systemTopology(consumers).flatMap((service) => service.workQueues.flatMap((queue) => queue.routingKeys)),
  );

  constructor(
    private readonly store: OutboxStore,
    private readonly publisher: BrokerPublisher,
    private readonly connection: PublisherConnection,
    private readonly crashes: CrashPoints,
    config: ServiceConfig,
  ) {
    this.settings = config.messaging;
    this.brokerUser = brokerUserIn(config.rabbitmqUrl);
    this.faults = config.testFaults;
    this.listener = new OutboxListener(config.databaseUrl, store.writerId, () => this.wakeAfterOtherWriter());
    // Rows that failed while the broker was away or blocking need not wait out their backoff once it is back.
    const retryNow = () =>
      void this.store.retryNow().then(
        () => this.wake(),
        () => this.wake(),
      );
    connection.on('ready', retryNow);
    connection.on('unblocked', retryNow);
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.lastPublishAt = Date.now();
    this.listener.start();
    this.pollTimer = setInterval(() => this.wake(), this.settings.outboxPollIntervalMs);
    this.pollTimer.unref();
    const watchEvery = Math.max(250, Math.floor(this.settings.outboxStallTimeoutMs / 4));
    this.watchdogTimer = setInterval(() => void this.watch(), watchEvery);
    this.watchdogTimer.unref();
    this.wake();
  }

  /** Finishes the batches in flight (each bounded by the confirm timeout) and stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearInterval(this.watchdogTimer);
    clearTimeout(this.notifiedTimer);
    await this.listener.stop();
    await Promise.all(this.draining);
  }

  /**
   * Calls `listener` with every message of `type` this relay publishes, in the transaction that marks them
   * published, e.g. to start a clock that must run from when a command really left, not from its commit.
   * Repositories take part in that transaction through TransactionScope.
   */
  onPublished(type: MessageType, listener: PublishListener): void {
    this.listeners.set(type.routingKey, [...(this.listeners.get(type.routingKey) ?? []), listener]);
  }

  /** The relay's state as the last watchdog round found it, for readiness. */
  get state(): RelayHealth {
    return this.health;
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

  /**
   * Another process committed outbox rows. Its own relay is publishing them already, so this one looks a
   * little later, once for every notification that came meanwhile: a replica does not spend a claim that
   * finds nothing on every commit of its siblings, and rows whose writer died still go out promptly.
   */
  private wakeAfterOtherWriter(): void {
    if (this.notifiedTimer || this.stopped) return;
    this.notifiedTimer = setTimeout(() => {
      this.notifiedTimer = undefined;
      this.wake();
    }, NOTIFIED_WAKE_DELAY_MS);
    this.notifiedTimer.unref();
  }

  private async drain(): Promise<void> {
    while (this.wanted && !this.stopped) {
      this.wanted = false;
      if (!this.publisher.canPublish) return;
      try {
        const claimed = await this.publishBatch();
        if (claimed === this.settings.outboxBatchSize) this.wake();
      } catch (error) {
        this.logger.warn(`outbox drain failed, will retry: ${(error as Error).message}`);
        return;
      }
    }
  }

  private publishBatch(): Promise<number> {
    return this.store.claimBatch(this.settings.outboxBatchSize, async (rows, manager) => {
      if (rows.length === 0) return 0;
      const results = await Promise.all(rows.map((row) => this.publishRow(row)));
      const published = rows.filter((_, index) => results[index] === undefined);
      const failed = rows.filter((_, index) => results[index] !== undefined);
      const publishedAt = await this.store.markPublished(
        manager,
        published.map((row) => row.position),
      );
      await this.notifyListeners(published, publishedAt);
      if (failed.length > 0) {
        const error = results.find((result) => result !== undefined) ?? 'unknown';
        this.logger.warn(`${failed.length} outbox messages not accepted by RabbitMQ: ${error}`);
        await this.store.markFailed(
          manager,
          failed.map((row) => row.position),
          error,
          FAILED_ROW_RETRY_MS,
        );
      }
      if (published.length > 0) this.lastPublishAt = Date.now();
      const now = Date.now();
      for (const row of published) messagingMetrics.outboxLag.observe((now - row.createdAt.getTime()) / 1000);
      messagingMetrics.outboxPublished.inc(published.length);
      return rows.length;
    });
  }

  private async notifyListeners(rows: OutboxRow[], publishedAt: Map<string, Date>): Promise<void> {
    if (this.listeners.size === 0) return;
    for (const [routingKey, listeners] of this.listeners) {
      const published = rows
        .filter((row) => row.routingKey === routingKey)
        .map((row) => ({
          messageId: row.messageId,
          correlationId: row.correlationId,
          publishedAt: publishedAt.get(String(row.position))!,
        }));
      if (published.length === 0) continue;
      for (const listener of listeners) await listener(published);
    }
  }

  /** Publishes one row under a PRODUCER span that continues the trace stored with it; resolves to an error text or undefined. */
  private async publishRow(row: OutboxRow): Promise<string | undefined> {
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
      restoreTraceContext(row.traceContext),
    );
    const options = {
      messageId: row.messageId,
      type: row.type,
      correlationId: row.correlationId ?? undefined,
      timestamp: Math.floor(row.createdAt.getTime() / 1000),
      contentType: 'application/json',
      userId: this.brokerUser,
      persistent: true,
      mandatory: row.exchange !== EVENTS_EXCHANGE || this.subscribed.has(row.routingKey),
      headers: {
        ...captureTraceContext(trace.setSpan(context.active(), span)),
        'x-causation-id': row.causationId ?? undefined,
        'x-schema-version': row.schemaVersion,
        [PUBLISHED_AT_HEADER]: Date.now(),
      },
    };
    try {
      for (let copy = 0; copy < this.faults.publishCopies; copy += 1) {
        await this.publisher.publish(row.exchange, row.routingKey, Buffer.from(row.payload), options);
      }
      this.crashes.reach('mid-batch');
      return undefined;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      return (error as Error).message;
    } finally {
      span.end();
    }
  }

  /**
   * Rows pending past the stall timeout while nothing was published mean the relay cannot publish:
   * say so (readiness), and unless RabbitMQ is blocking publishers (nothing to do but wait), rebuild the
   * publishing connection.
   */
  private async watch(): Promise<void> {
    if (this.stopped) return;
    const limit = this.settings.outboxStallTimeoutMs;
    const sincePublish = Date.now() - this.lastPublishAt;
    if (sincePublish < limit) return this.setHealth({ stalled: false });
    const waiting = await this.store.oldestPendingAgeMs().catch(() => undefined);
    if (waiting === undefined || waiting < limit) return this.setHealth({ stalled: false });
    const blockedMs = this.connection.blockedForMs();
    const why =
      blockedMs > 0 ? `RabbitMQ has blocked publishing for ${Math.round(blockedMs / 1000)} s` : undefined;
    this.setHealth({
      stalled: true,
      reason:
        `outbox messages have waited ${Math.round(waiting / 1000)} s and nothing was published for ` +
        `${Math.round(sincePublish / 1000)} s${why ? `: ${why}` : ''}`,
    });
    if (blockedMs === 0 && Date.now() - this.lastRecoveryAt >= limit) {
      this.lastRecoveryAt = Date.now();
      this.connection.recover('the outbox relay stalled');
    }
  }

  private setHealth(health: RelayHealth): void {
    if (health.stalled && !this.health.stalled) this.logger.error(`outbox relay stalled: ${health.reason}`);
    if (!health.stalled && this.health.stalled) this.logger.log('outbox relay publishes again');
    this.health = health;
  }
}
