import { Injectable, Logger } from '@nestjs/common';
import { context, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, MessagePropertyHeaders } from 'amqplib';
import { MessagingSettings, ServiceConfig } from '@platform/config';
import { MessageType } from '@platform/contracts';
import { isDatabaseUnavailable, TransactionScope } from '@platform/persistence';
import { BrokerConnection } from '../broker/broker-connection';
import { publishConfirmed } from '../broker/publish-confirmed';
import { RETRY_DELAY_HEADER, ServiceTopology } from '../broker/topology';
import { messagingMetrics } from '../messaging.metrics';
import { InboxStore } from '../persistence/inbox.store';
import { restoreTraceContext } from '../trace-context';
import { DecodedMessage, decodeDelivery, RejectedDelivery } from './decode-delivery';
import { deliveryContext } from './delivery-context';
import { MessageDispatcher } from './message-dispatcher';

const tracer = trace.getTracer('@platform/messaging');

/** Headers the consumer adds when it retries or parks a message. */
export const FAILURE_HEADERS = {
  attempts: 'x-attempts',
  error: 'x-error',
  reason: 'x-error-reason',
  queue: 'x-original-queue',
  exchange: 'x-original-exchange',
  routingKey: 'x-original-routing-key',
  failedAt: 'x-failed-at',
} as const;

/**
 * Consumes the service's work queues. Each delivery is checked at the boundary, then handled in one
 * transaction that records its id in the inbox (a redelivery changes nothing) together with the handler's
 * writes and outbox rows, and acked only after commit. A handler failure goes to the retry queue of its
 * attempt, then to `<service>.dlq` with the error; a delivery that can never succeed goes there at once.
 */
@Injectable()
export class MessageConsumer {
  private readonly logger = new Logger(MessageConsumer.name);
  private readonly settings: MessagingSettings;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly consumers: Array<{ channel: Channel; tag: string }> = [];
  private republisher?: ConfirmChannel;
  private stopping = false;
  private handled = new Map<string, MessageType>();
  private topology?: ServiceTopology;
  private retryDelays: number[] = [];

  constructor(
    private readonly broker: BrokerConnection,
    private readonly transactions: TransactionScope,
    private readonly inbox: InboxStore,
    private readonly dispatcher: MessageDispatcher,
    config: ServiceConfig,
  ) {
    this.settings = config.messaging;
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
    await this.broker.onConnected((connection) => this.consume(connection, topology));
  }

  /** Stops taking deliveries and waits (up to `timeoutMs`) for the ones in flight to commit and ack. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    for (const { channel, tag } of this.consumers.splice(0)) await channel.cancel(tag).catch(() => undefined);
    const drained = Promise.allSettled([...this.inFlight]);
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  private async consume(connection: ChannelModel, topology: ServiceTopology): Promise<void> {
    this.consumers.length = 0;
    const republisher = await connection.createConfirmChannel();
    this.watch(republisher, 'republish');
    this.republisher = republisher;
    const queues = [
      topology.commandBindings.length > 0 ? topology.commandQueue : undefined,
      topology.eventBindings.length > 0 ? topology.eventQueue : undefined,
    ].filter((queue): queue is string => queue !== undefined);
    for (const queue of queues) {
      const channel = await connection.createChannel();
      this.watch(channel, queue);
      await channel.prefetch(this.settings.prefetch);
      const { consumerTag } = await channel.consume(queue, (delivery) => {
        // The broker cancelled us (queue deleted or moved): rebuild, which declares and consumes it again.
        if (!delivery) return this.broker.recover(`consumer of ${queue} cancelled by RabbitMQ`);
        const work = this.handle(channel, queue, delivery).finally(() => this.inFlight.delete(work));
        this.inFlight.add(work);
      });
      this.consumers.push({ channel, tag: consumerTag });
    }
  }

  private watch(channel: Channel, name: string): void {
    channel.on('error', (error: Error) => this.logger.warn(`${name} channel error: ${error.message}`));
    channel.on('close', () => {
      if (!this.stopping) this.broker.recover(`${name} channel closed`);
    });
  }

  private async handle(channel: Channel, queue: string, delivery: ConsumeMessage): Promise<void> {
    const started = performance.now();
    const decoded = decodeDelivery(delivery, this.handled);
    const typeLabel = decoded.ok ? decoded.type.type : String(delivery.properties.type ?? 'unknown');
    if (!decoded.ok) {
      await this.park(channel, queue, delivery, decoded.reason, decoded.error);
      messagingMetrics.consumed.inc({ queue, type: typeLabel, outcome: 'dead_lettered' });
      return;
    }
    const headers = delivery.properties.headers ?? {};
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
      restoreTraceContext(headers),
    );
    const outcome = await context.with(trace.setSpan(context.active(), span), () =>
      this.process(channel, queue, delivery, decoded, span),
    );
    span.end();
    messagingMetrics.consumed.inc({ queue, type: typeLabel, outcome });
    messagingMetrics.handlingDuration.observe(
      { queue, type: typeLabel },
      (performance.now() - started) / 1000,
    );
  }

  /** Inbox, handler and outbox in one transaction, then ack; on failure, the retry or dead-letter path. */
  private async process(
    channel: Channel,
    queue: string,
    delivery: ConsumeMessage,
    decoded: DecodedMessage,
    span: Span,
  ): Promise<string> {
    try {
      const fresh = await deliveryContext.run(
        { messageId: decoded.messageId, correlationId: decoded.correlationId },
        () =>
          this.transactions.run(async (transaction) => {
            const recorded = await this.inbox.record(
              transaction.manager,
              queue,
              decoded.messageId,
              decoded.type.type,
            );
            if (recorded) await this.dispatcher.dispatch(decoded.type, decoded.message);
            return recorded;
          }),
      );
      this.ack(channel, delivery);
      const outcome = fresh ? 'handled' : 'duplicate';
      this.logger.debug(`${outcome} ${decoded.type.type} ${decoded.messageId} from ${queue}`);
      return outcome;
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      return this.retryOrPark(channel, queue, delivery, error as Error);
    }
  }

  private async retryOrPark(
    channel: Channel,
    queue: string,
    delivery: ConsumeMessage,
    error: Error,
  ): Promise<string> {
    const previous = Number(delivery.properties.headers?.[FAILURE_HEADERS.attempts] ?? 0);
    // An unreachable database is waited out: it says nothing about the message, so it costs no attempt.
    const unavailable = isDatabaseUnavailable(error);
    const attempt = unavailable ? previous : previous + 1;
    const context = `${String(delivery.properties.type)} ${String(delivery.properties.messageId)} on ${queue}`;
    try {
      if ((unavailable || attempt < this.settings.maxAttempts) && this.retryDelays.length > 0) {
        const delayMs = this.retryDelays[Math.min(Math.max(attempt - 1, 0), this.retryDelays.length - 1)];
        this.logger.warn(
          `handling ${context} failed (attempt ${attempt} of ${this.settings.maxAttempts}), retrying in ${delayMs} ms: ${error.message}`,
        );
        await this.republish(this.topology!.retryExchange, queue, delivery, {
          ...this.failureHeaders(queue, delivery, attempt, error.message, 'handler-failed'),
          [RETRY_DELAY_HEADER]: String(delayMs),
        });
        this.ack(channel, delivery);
        return 'retried';
      }
      this.logger.error(
        `handling ${context} failed ${attempt} times; parking it in ${this.topology!.deadLetterQueue}: ${error.message}`,
        error.stack,
      );
      await this.park(channel, queue, delivery, 'handler-failed', error.message, attempt);
      return 'dead_lettered';
    } catch (republishError) {
      // Could not hand it on: give it back to the queue; its delivery limit bounds how often this happens.
      this.logger.warn(`could not retry ${context}: ${(republishError as Error).message}`);
      this.nack(channel, delivery);
      return 'requeued';
    }
  }

  private async park(
    channel: Channel,
    queue: string,
    delivery: ConsumeMessage,
    reason: RejectedDelivery['reason'] | 'handler-failed',
    error: string,
    attempt = Number(delivery.properties.headers?.[FAILURE_HEADERS.attempts] ?? 0) + 1,
  ): Promise<void> {
    if (reason !== 'handler-failed') {
      this.logger.warn(
        `dead-lettering ${String(delivery.properties.messageId)} from ${queue}: ${reason}: ${error}`,
      );
    }
    try {
      await this.republish(
        '',
        this.topology!.deadLetterQueue,
        delivery,
        this.failureHeaders(queue, delivery, attempt, error, reason),
      );
      this.ack(channel, delivery);
      messagingMetrics.deadLettered.inc({ queue, reason });
    } catch (parkError) {
      this.logger.warn(
        `could not park ${String(delivery.properties.messageId)}: ${(parkError as Error).message}`,
      );
      this.nack(channel, delivery);
    }
  }

  private failureHeaders(
    queue: string,
    delivery: ConsumeMessage,
    attempt: number,
    error: string,
    reason: string,
  ): MessagePropertyHeaders {
    const headers = delivery.properties.headers ?? {};
    return {
      ...headers,
      [FAILURE_HEADERS.attempts]: attempt,
      [FAILURE_HEADERS.error]: error.slice(0, 4000),
      [FAILURE_HEADERS.reason]: reason,
      [FAILURE_HEADERS.queue]: queue,
      [FAILURE_HEADERS.exchange]: headers[FAILURE_HEADERS.exchange] ?? delivery.fields.exchange,
      [FAILURE_HEADERS.routingKey]: headers[FAILURE_HEADERS.routingKey] ?? delivery.fields.routingKey,
      [FAILURE_HEADERS.failedAt]: new Date().toISOString(),
    };
  }

  private republish(
    exchange: string,
    routingKey: string,
    delivery: ConsumeMessage,
    headers: MessagePropertyHeaders,
  ): Promise<void> {
    if (!this.republisher) return Promise.reject(new Error('no channel to republish on'));
    const { properties } = delivery;
    return publishConfirmed(this.republisher, exchange, routingKey, delivery.content, {
      messageId: properties.messageId,
      type: properties.type,
      correlationId: properties.correlationId,
      timestamp: properties.timestamp,
      contentType: properties.contentType,
      persistent: true,
      mandatory: true,
      headers,
    }).catch((error: Error) => {
      throw new Error(
        `republishing to ${exchange || 'the default exchange'} as ${routingKey} failed: ${error.message}`,
        {
          cause: error,
        },
      );
    });
  }

  private ack(channel: Channel, delivery: ConsumeMessage): void {
    try {
      channel.ack(delivery);
    } catch {
      // The channel closed after commit: the broker redelivers and the inbox turns it into a no-op.
    }
  }

  private nack(channel: Channel, delivery: ConsumeMessage): void {
    try {
      channel.nack(delivery, false, true);
    } catch {
      // Channel already closed: the broker requeues unacked deliveries by itself.
    }
  }
}
