import { Injectable, Logger } from '@nestjs/common';
import { context, ROOT_CONTEXT, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Channel, ChannelModel, ConsumeMessage, MessagePropertyHeaders } from 'amqplib';
import { MessagingSettings, ServiceConfig } from '@platform/config';
import { MessageType } from '@platform/contracts';
import { isDatabaseUnavailable, TransactionScope } from '@platform/persistence';
import { BrokerPublisher } from '../broker/broker-publisher';
import { brokerUserIn } from '../broker/broker-user';
import { ConsumerConnection } from '../broker/consumer-connection';
import { RETRY_DELAY_HEADER, ServiceTopology } from '../broker/topology';
import { CrashPoints } from '../faults/crash-points';
import { messagingMetrics } from '../messaging.metrics';
import { DeliveryAttemptsStore } from '../persistence/delivery-attempts.store';
import { InboxStore } from '../persistence/inbox.store';
import { restoreTraceContext } from '../trace-context';
import { DecodedMessage, decodeDelivery } from './decode-delivery';
import { deliveryContext } from './delivery-context';
import { DeliveryBatches } from './delivery-batches';
import { asError, failureHeaders, ParkReason, previousAttempts } from './failure-headers';
import { HandlerSlots } from './handler-slots';
import { MessageDispatcher } from './message-dispatcher';

const tracer = trace.getTracer('@platform/messaging');
/** Pool connections left to the relay's two pipelined batches and to HTTP requests and timers. */
const RESERVED_CONNECTIONS = 3;
const MAX_PAUSE_MS = 5000;
/**
 * How long a batch waits for a row lock before it gives up and its deliveries are handled alone. Batches of
 * two replicas lock their messages' rows in no common order and can deadlock, which PostgreSQL would end only
 * after deadlock_timeout (1 s); a batch that waits this long is most likely in such a cycle.
 */
const BATCH_LOCK_TIMEOUT = `SET LOCAL lock_timeout = '200ms'`;

/** What became of one delivery, the `outcome` label of `messages_consumed_total`. */
type Outcome = 'handled' | 'duplicate' | 'retried' | 'dead_lettered' | 'requeued';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A delivery that passed the boundary checks, waiting for or in its transaction. */
interface Accepted {
  channel: Channel;
  queue: string;
  delivery: ConsumeMessage;
  decoded: DecodedMessage;
  span: Span;
}

/**
 * Consumes the service's work queues. Each delivery is checked at the boundary, then handled in one
 * transaction that records its id in the inbox (a redelivery changes nothing) together with the handler's
 * writes and outbox rows, and acked only after commit. A handler failure goes to the retry queue of its
 * attempt, then to `<service>.dlq` with the error; a delivery that can never succeed goes there at once.
 *
 * Deliveries are handled one transaction at a time, and the next transaction takes every delivery that
 * arrived meanwhile, up to MESSAGING_BATCH_SIZE (see handleBatch); at light load each has its own. With
 * MESSAGING_BATCH_SIZE=1 each delivery has its own transaction instead, as many at a time as the database pool
 * can serve (DATABASE_POOL_SIZE - 3). An unreachable database or an exhausted pool is waited out
 * with the delivery held, spending no attempt. A redelivered message is handled alone and its attempt
 * recorded first, so one that kills the process each time is parked after MESSAGING_MAX_ATTEMPTS crashes,
 * while a redelivery after a reconnect costs nothing.
 */
@Injectable()
export class MessageConsumer {
  private readonly logger = new Logger(MessageConsumer.name);
  private readonly settings: MessagingSettings;
  /** The broker user this service connects as: `user-id` of its retry and dead-letter copies. */
  private readonly ownUser: string;
  private readonly batches: DeliveryBatches<Accepted, Outcome>;
  private readonly redeliveries = new HandlerSlots(1);
  private readonly inFlight = new Set<Promise<void>>();
  /** The consumer on each work queue's channel: its tag, and the queue. */
  private readonly consumers = new Map<Channel, { tag: string; queue: string }>();
  private readonly closed = new WeakSet<Channel>();
  private stopping = false;
  private handled = new Map<string, MessageType>();
  private topology?: ServiceTopology;
  private retryDelays: number[] = [];

  constructor(
    private readonly connection: ConsumerConnection,
    private readonly publisher: BrokerPublisher,
    private readonly transactions: TransactionScope,
    private readonly inbox: InboxStore,
    private readonly attempts: DeliveryAttemptsStore,
    private readonly dispatcher: MessageDispatcher,
    private readonly crashes: CrashPoints,
    config: ServiceConfig,
  ) {
    this.settings = config.messaging;
    this.ownUser = brokerUserIn(config.rabbitmqUrl);
    // Batches run one at a time: two at once lock the rows of their messages in no common order and
    // deadlock (inventory's hot product rows did, every second, in `npm run bench`), and one at a time already
    // did more than many single deliveries at once (docs/benchmarks.md). Without batching, one per slot.
    const { batchSize } = this.settings;
    this.batches = new DeliveryBatches(
      batchSize > 1 ? 1 : Math.max(1, config.databasePoolSize - RESERVED_CONNECTIONS),
      batchSize,
      (accepted) => this.handleAccepted(accepted),
    );
  }

  async start(topology: ServiceTopology, handled: MessageType[]): Promise<void> {
    for (const type of handled) {
      if (!this.dispatcher.canHandle(type))
        throw new Error(`${type.routingKey} is listed as handled but has no handler`);
    }
    this.topology = topology;
    this.handled = new Map(handled.map((type) => [type.type, type]));
    this.retryDelays = topology.retryQueues.map((queue) => queue.delayMs);
    this.stopping = false;
    await this.connection.onConnected((connection) => this.consume(connection, topology));
  }

  /** Stops taking deliveries and waits (up to `timeoutMs`) for the ones in flight to commit and ack. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const cancels = [...this.consumers].map(([channel, { tag, queue }]) => {
      messagingMetrics.consumers.set({ queue }, 0);
      return channel.cancel(tag).catch(() => undefined);
    });
    this.consumers.clear();
    const drained = Promise.allSettled([...cancels, ...this.inFlight]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  private async consume(connection: ChannelModel, topology: ServiceTopology): Promise<void> {
    for (const { name: queue } of topology.workQueues) {
      const channel = await connection.createChannel();
      channel.on('error', (error: Error) => this.logger.warn(`${queue} channel error: ${error.message}`));
      channel.on('close', () => {
        this.closed.add(channel);
        this.consumers.delete(channel);
        messagingMetrics.consumers.set({ queue }, 0);
        if (!this.stopping) this.connection.recover(`${queue} channel closed`);
      });
      await channel.prefetch(this.settings.prefetch);
      messagingMetrics.inFlight.inc({ queue }, 0);
      const { consumerTag } = await channel.consume(queue, (delivery) => {
        // The broker cancelled us (queue deleted or moved): rebuild, which declares and consumes it again.
        if (!delivery) return this.connection.recover(`consumer of ${queue} cancelled by RabbitMQ`);
        messagingMetrics.inFlight.inc({ queue });
        const work = this.handle(channel, queue, delivery).finally(() => {
          this.inFlight.delete(work);
          messagingMetrics.inFlight.dec({ queue });
        });
        this.inFlight.add(work);
      });
      this.consumers.set(channel, { tag: consumerTag, queue });
      messagingMetrics.consumers.set({ queue }, 1);
    }
  }

  private async handle(channel: Channel, queue: string, delivery: ConsumeMessage): Promise<void> {
    const started = performance.now();
    const decoded = decodeDelivery(delivery, this.handled, new Date(), this.ownUser);
    if (!decoded.ok) {
      const attempt = previousAttempts(delivery, this.settings.maxAttempts) + 1;
      const outcome = await this.park(channel, queue, delivery, decoded.reason, decoded.error, attempt);
      // Only known types become label values: a forged type must not grow /metrics with every new name.
      const type = this.handled.has(String(delivery.properties.type))
        ? String(delivery.properties.type)
        : 'unknown';
      messagingMetrics.consumed.inc({ queue, type, outcome });
      return;
    }
    messagingMetrics.decoded.inc({ queue, type: decoded.type.type, version: decoded.version });
    const span = tracer.startSpan(
      `${queue} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'rabbitmq',
          'messaging.operation.type': 'process',
          'messaging.operation.name': 'consume',
          'messaging.destination.name': delivery.fields.exchange,
          'messaging.rabbitmq.destination.routing_key': delivery.fields.routingKey,
          'messaging.message.id': decoded.messageId,
          'messaging.message.conversation_id': decoded.correlationId,
          'messaging.consumer.group.name': queue,
        },
      },
      restoreTraceContext(delivery.properties.headers),
    );
    const accepted: Accepted = { channel, queue, delivery, decoded, span };
    const outcome = await (delivery.fields.redelivered
      ? // The process may have died handling it: one at a time, so such a message takes no other one down.
        this.redeliveries.run(() => this.batches.submit(accepted, { alone: true }))
      : this.batches.submit(accepted));
    span.end();
    const type = decoded.type.type;
    messagingMetrics.consumed.inc({ queue, type, outcome });
    messagingMetrics.handlingDuration.observe({ queue, type }, (performance.now() - started) / 1000);
    const recordedAt = delivery.properties.timestamp;
    if (
      (outcome === 'handled' || outcome === 'duplicate') &&
      typeof recordedAt === 'number' &&
      recordedAt > 0
    ) {
      messagingMetrics.criticalTime.observe({ queue, type }, Math.max(0, Date.now() / 1000 - recordedAt));
    }
  }

  /** Handles what one slot took: a delivery alone, or several in one transaction. */
  private async handleAccepted(accepted: Accepted[]): Promise<Outcome[]> {
    messagingMetrics.batchSize.observe(accepted.length);
    if (accepted.length > 1) return this.handleBatch(accepted);
    const [one] = accepted;
    const { channel, queue, delivery, decoded, span } = one;
    return [
      await context.with(inSpan(span), () =>
        delivery.fields.redelivered
          ? this.handleRedelivered(channel, queue, delivery, decoded, span)
          : this.handleOnce(channel, queue, delivery, decoded, span),
      ),
    ];
  }

  /**
   * Handles fresh deliveries in one transaction: one BEGIN, one COMMIT, one outbox insert and one relay
   * wake-up for all of them, where a saturated service spent most of its database round trips.
   * Each keeps its own inbox row, trace span and delivery context (so what it sends names it as causation).
   * If any of them fails, or the batch waits too long for a row lock (a deadlock with another replica's),
   * everything rolls back and each is handled again alone, so one message's failure never becomes another's;
   * all are acked only after commit.
   */
  private async handleBatch(batch: Accepted[]): Promise<Outcome[]> {
    if (this.stopping) return batch.map(({ channel, delivery }) => this.requeue(channel, delivery));
    let recorded: boolean[] | undefined;
    try {
      recorded = await this.whileDatabaseUnavailable(
        () => batch.every(({ channel }) => this.closed.has(channel)),
        () =>
          context.with(inSpan(batch[0].span), () =>
            this.transactions.runAlone(async ({ manager }) => {
              await manager.query(BATCH_LOCK_TIMEOUT);
              const recorded: boolean[] = [];
              for (const { queue, decoded, span } of batch) {
                recorded.push(await context.with(inSpan(span), () => this.recordAndDispatch(queue, decoded)));
              }
              this.crashes.reach('before-commit');
              return recorded;
            }),
          ),
      );
    } catch (thrown) {
      this.logger.debug(
        `a transaction of ${batch.length} deliveries failed; handling each alone: ${asError(thrown).message}`,
      );
      const outcomes: Outcome[] = [];
      for (const { channel, queue, delivery, decoded, span } of batch) {
        outcomes.push(
          await context.with(inSpan(span), () => this.handleOnce(channel, queue, delivery, decoded, span)),
        );
      }
      return outcomes;
    }
    if (recorded === undefined) return batch.map(({ channel, delivery }) => this.requeue(channel, delivery));
    const outcomes: Outcome[] = [];
    for (const [index, { channel, delivery }] of batch.entries()) {
      this.crashes.reach('before-ack');
      this.ack(channel, delivery);
      outcomes.push(recorded[index] ? 'handled' : 'duplicate');
    }
    return outcomes;
  }

  /** Records the attempt before handling, so attempts that never finished (the process died) are counted. */
  private async handleRedelivered(
    channel: Channel,
    queue: string,
    delivery: ConsumeMessage,
    decoded: DecodedMessage,
    span: Span,
  ): Promise<Outcome> {
    const crashed = await this.whileDatabaseUnavailable(
      () => this.closed.has(channel),
      () => this.attempts.start(queue, decoded.messageId),
    );
    if (crashed === undefined) return this.requeue(channel, delivery);
    try {
      // The first delivery, which was not recorded, ended unfinished too.
      if (crashed + 1 >= this.settings.maxAttempts) {
        const error = `the process died ${crashed + 1} times while handling it`;
        this.logger.error(`parking ${describe(delivery, queue)}: ${error}`);
        return await this.park(channel, queue, delivery, 'handler-crashed', error, crashed + 1);
      }
      return await this.handleOnce(channel, queue, delivery, decoded, span);
    } finally {
      await this.attempts
        .finish(queue, decoded.messageId)
        .catch((error: Error) =>
          this.logger.warn(`could not record the end of an attempt: ${error.message}`),
        );
    }
  }

  /** Inbox, handler and outbox in one transaction, then ack; on failure, the retry or dead-letter path. */
  private async handleOnce(
    channel: Channel,
    queue: string,
    delivery: ConsumeMessage,
    decoded: DecodedMessage,
    span: Span,
  ): Promise<Outcome> {
    if (this.stopping) return this.requeue(channel, delivery);
    let fresh: boolean | undefined;
    try {
      fresh = await this.whileDatabaseUnavailable(
        () => this.closed.has(channel),
        () => this.handleInTransaction(queue, decoded),
      );
    } catch (thrown) {
      const failure = asError(thrown);
      span.recordException(failure);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      return this.retryOrPark(channel, queue, delivery, failure);
    }
    if (fresh === undefined) return this.requeue(channel, delivery);
    this.crashes.reach('before-ack');
    this.ack(channel, delivery);
    const outcome = fresh ? 'handled' : 'duplicate';
    this.logger.debug(`${outcome} ${decoded.type.type} ${decoded.messageId} from ${queue}`);
    return outcome;
  }

  /** Records the delivery in the inbox and, if it is new, runs its handler, all in one transaction. */
  private handleInTransaction(queue: string, decoded: DecodedMessage): Promise<boolean> {
    return this.transactions.run(async () => {
      const recorded = await this.recordAndDispatch(queue, decoded);
      this.crashes.reach('before-commit');
      return recorded;
    });
  }

  /** Within the open transaction: the inbox record and, if the message is new, its handler. */
  private recordAndDispatch(queue: string, decoded: DecodedMessage): Promise<boolean> {
    const { messageId, correlationId, publishedAt, receivedAt } = decoded;
    const about = { messageId, correlationId, publishedAt, receivedAt };
    return deliveryContext.run(about, async () => {
      const { manager } = this.transactions;
      const recorded = await this.inbox.record(manager, queue, messageId, decoded.type.type);
      if (recorded) await this.dispatcher.dispatch(decoded.type, decoded.message);
      return recorded;
    });
  }

  /**
   * Runs `work` until it gets past an unreachable database or an exhausted pool (they say nothing about the
   * message, so they cost no attempt), holding the delivery meanwhile. Undefined if the consumer stopped or
   * `givenBack` says the delivery's channel closed first: the broker has it back or gets it back.
   */
  private async whileDatabaseUnavailable<T>(
    givenBack: () => boolean,
    work: () => Promise<T>,
  ): Promise<T | undefined> {
    for (let pause = 100; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
      try {
        return await work();
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        if (this.stopping || givenBack()) return undefined;
        this.logger.warn(
          `database unavailable, holding a delivery for ${pause} ms: ${(error as Error).message}`,
        );
        await sleep(pause);
      }
    }
  }

  private async retryOrPark(
    channel: Channel,
    queue: string,
    delivery: ConsumeMessage,
    error: Error,
  ): Promise<Outcome> {
    const { maxAttempts } = this.settings;
    const attempt = previousAttempts(delivery, maxAttempts) + 1;
    if (attempt < maxAttempts && this.retryDelays.length > 0) {
      const delayMs = this.retryDelays[Math.min(attempt - 1, this.retryDelays.length - 1)];
      this.logger.warn(
        `handling ${describe(delivery, queue)} failed (attempt ${attempt} of ${maxAttempts}), retrying in ${delayMs} ms: ${error.message}`,
      );
      const handedOn = await this.handOn(channel, queue, delivery, this.topology!.retryExchange, queue, {
        ...failureHeaders(queue, delivery, attempt, error.message, 'handler-failed'),
        [RETRY_DELAY_HEADER]: String(delayMs),
      });
      return handedOn ? 'retried' : 'requeued';
    }
    this.logger.error(
      `handling ${describe(delivery, queue)} failed ${attempt} times; parking it in ${this.topology!.deadLetterQueue}: ${error.message}`,
      error.stack,
    );
    return this.park(channel, queue, delivery, 'handler-failed', error.message, attempt);
  }

  private async park(
    channel: Channel,
    queue: string,
    delivery: ConsumeMessage,
    reason: ParkReason,
    error: string,
    attempt: number,
  ): Promise<Outcome> {
    if (reason !== 'handler-failed' && reason !== 'handler-crashed') {
      this.logger.warn(`dead-lettering ${describe(delivery, queue)}: ${reason}: ${error}`);
    }
    const headers = failureHeaders(queue, delivery, attempt, error, reason);
    const { ownExchange, deadLetterQueue } = this.topology!;
    const parked = await this.handOn(channel, queue, delivery, ownExchange, deadLetterQueue, headers);
    if (!parked) return 'requeued';
    messagingMetrics.deadLettered.inc({ queue, reason });
    return 'dead_lettered';
  }

  /**
   * Publishes a copy of the delivery (to a retry queue or the DLQ) and acks the delivery once RabbitMQ has
   * confirmed the copy. While the copy cannot be published (broker blocking, reconnecting) the delivery is
   * held and the copy tried again; on shutdown it is given back to its queue. It is never dropped.
   */
  private async handOn(
    channel: Channel,
    queue: string,
    delivery: ConsumeMessage,
    exchange: string,
    routingKey: string,
    headers: MessagePropertyHeaders,
  ): Promise<boolean> {
    const { properties } = delivery;
    for (let pause = 200; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
      try {
        await this.publisher.publish(exchange, routingKey, delivery.content, {
          messageId: properties.messageId,
          type: properties.type,
          correlationId: properties.correlationId,
          timestamp: properties.timestamp,
          contentType: properties.contentType,
          // The copy is this service's to vouch for: its own user (RabbitMQ allows no other).
          userId: this.ownUser,
          persistent: true,
          mandatory: true,
          headers,
        });
        this.ack(channel, delivery);
        return true;
      } catch (error) {
        if (this.stopping || this.closed.has(channel)) {
          this.nack(channel, delivery);
          return false;
        }
        this.logger.warn(
          `could not hand ${describe(delivery, queue)} on to ${routingKey}, trying again in ${pause} ms: ${(error as Error).message}`,
        );
        await sleep(pause);
      }
    }
  }

  private requeue(channel: Channel, delivery: ConsumeMessage): Outcome {
    this.nack(channel, delivery);
    return 'requeued';
  }

  private ack(channel: Channel, delivery: ConsumeMessage): void {
    try {
      channel.ack(delivery);
    } catch {
      // The channel closed after commit: the broker redelivers and the inbox turns it into a no-op.
    }
  }

  /**
   * Gives the delivery back to its queue. A nack, not a reject: the message is not at fault (we are stopping,
   * or could not reach the broker or database), and RabbitMQ 4.3+ counts only rejects against the delivery limit.
   */
  private nack(channel: Channel, delivery: ConsumeMessage): void {
    try {
      channel.nack(delivery, false, true);
    } catch {
      // Channel already closed: the broker requeues unacked deliveries by itself.
    }
  }
}

/**
 * The trace context of one delivery's handling. A slot may be taken up from whatever code freed it, so the
 * context is built from the root rather than from whatever is active there.
 */
function inSpan(span: Span) {
  return trace.setSpan(ROOT_CONTEXT, span);
}

/** A delivery as log lines name it. */
function describe(delivery: ConsumeMessage, queue: string): string {
  return `${String(delivery.properties.type)} ${String(delivery.properties.messageId)} on ${queue}`;
}
