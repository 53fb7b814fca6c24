import { randomUUID } from 'node:crypto';
import { ConsumeMessage } from 'amqplib';
import {
  ChargePayment,
  messageTypeOf,
  OrderCancelled,
  OrderConfirmed,
  RefundPayment,
  ReleaseStock,
  ReserveStock,
  schemaVersionOf,
} from '@platform/contracts';
import {
  BrokerProbe,
  databaseUrl,
  dropDatabase,
  freePort,
  httpClient,
  query,
  ServiceProcess,
  startService,
  uniqueSuffix,
  waitFor,
} from '@platform/testing';

/** A message order-service sent, as seen on the wire. */
export interface SentMessage {
  type: string;
  /** Its `x-schema-version`. */
  schemaVersion: number;
  body: Record<string, unknown>;
  messageId: string;
  /** The trace the message belongs to, from its `traceparent` header. */
  traceId?: string;
}

/** What order-service sends: commands to inventory and payment, and its own events. */
const watched = [ReserveStock, ReleaseStock, ChargePayment, RefundPayment, OrderConfirmed, OrderCancelled];

/**
 * A real order-service process with its own database, plus a broker probe that plays inventory and payment:
 * it sees every command and event the service sends and publishes replies the way their outboxes would.
 */
export class OrderServiceHarness {
  readonly http: ReturnType<typeof httpClient>;

  private constructor(
    readonly service: ServiceProcess,
    readonly database: string,
    readonly probe: BrokerProbe,
    private readonly listeners: Array<Awaited<ReturnType<BrokerProbe['listen']>>>,
    private readonly env: Record<string, string>,
  ) {
    this.http = httpClient(service.url);
  }

  static async start(env: Record<string, string> = {}): Promise<OrderServiceHarness> {
    const database = `orders_test_${uniqueSuffix()}`;
    const probe = await BrokerProbe.open();
    await probe.purge('order.commands', 'order.events');
    // `commands` is a direct exchange, so each command's routing key is bound on its own.
    const listeners = await Promise.all(watched.map((type) => probe.listen(type.exchange, type.routingKey)));
    const serviceEnv = { DATABASE_URL: databaseUrl(database), MESSAGING_RETRY_BASE_MS: '100', ...env };
    const service = await startService('order-service', { ...serviceEnv, PORT: String(await freePort()) });
    return new OrderServiceHarness(service, database, probe, listeners, serviceEnv);
  }

  /** Starts another process of the service on the same database and queues; the caller stops it. */
  async startReplica(): Promise<ServiceProcess> {
    return startService('order-service', { ...this.env, PORT: String(await freePort()) });
  }

  async stop(): Promise<void> {
    await Promise.all(this.listeners.map((listener) => listener.stop()));
    await this.service.stop();
    await this.probe.close();
    await dropDatabase(this.database);
  }

  /** Everything the service sent about an order so far, optionally of one type, in arrival order per type. */
  sent(orderId: string, type?: { type: string }): SentMessage[] {
    return this.listeners
      .flatMap((listener) => listener.messages)
      .filter((message) => message.properties.correlationId === orderId)
      .filter((message) => !type || message.properties.type === type.type)
      .map(toSentMessage);
  }

  /** Waits until the service has sent `count` messages of `type` about the order, and returns the last. */
  async waitForSent(orderId: string, type: { type: string }, count = 1): Promise<SentMessage> {
    return waitFor(`${count} × ${type.type} for order ${orderId}`, () => {
      const messages = this.sent(orderId, type);
      return messages.length >= count ? messages[count - 1] : undefined;
    });
  }

  /** Publishes a reply the way inventory's or payment's outbox would; returns its message id. */
  reply(message: object, messageId: string = randomUUID()): Promise<string> {
    const type = messageTypeOf(message);
    return this.probe.publish(type.exchange, type.routingKey, JSON.stringify(message), {
      type: type.type,
      correlationId: (message as { orderId: string }).orderId,
      messageId,
      headers: { 'x-schema-version': schemaVersionOf(message) },
    });
  }

  /** Places an order and returns its id, failing unless the service accepted it. */
  async place(customerId: string, items: Array<{ sku: string; quantity: number }>): Promise<string> {
    const answer = await this.http.post('/orders', { customerId, items });
    if (answer.status !== 202) throw new Error(`placing an order answered ${answer.status}: ${answer.text}`);
    return answer.body.id;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async order(orderId: string): Promise<any> {
    return (await this.http.get(`/orders/${orderId}`)).body;
  }

  /** Waits until the order has `status`, and returns it. */
  waitForStatus(orderId: string, status: string) {
    return waitFor(`order ${orderId} to be ${status}`, async () => {
      const order = await this.order(orderId);
      return order?.status === status ? order : undefined;
    });
  }

  async countOrders(): Promise<number> {
    const [row] = await query<{ count: string }>(this.database, `SELECT count(*) FROM orders`);
    return Number(row.count);
  }
}

function toSentMessage(message: ConsumeMessage): SentMessage {
  return {
    type: String(message.properties.type),
    schemaVersion: Number(message.properties.headers?.['x-schema-version']),
    body: JSON.parse(message.content.toString()),
    messageId: String(message.properties.messageId),
    traceId: String(message.properties.headers?.traceparent ?? '').split('-')[1],
  };
}
