import { ConsumeMessage } from 'amqplib';
import { ChargePayment, RefundPayment } from '@platform/contracts';
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

/** How a ChargePayment is sent: its schema version (default 2), publish time and message id. */
export interface ChargeOptions {
  version?: number;
  /** `x-published-at`, epoch milliseconds; none when left out. */
  publishedAt?: number;
  messageId?: string;
}

/** The JSON body of a message heard on the broker. */
export const bodyOf = (message: ConsumeMessage) => JSON.parse(message.content.toString());

/**
 * A real payment-service process with its own database, plus a broker probe that plays the order saga: it
 * sends ChargePayment and RefundPayment raw, in any schema version, and hears every payment event.
 */
export class PaymentServiceHarness {
  readonly http: ReturnType<typeof httpClient>;

  private constructor(
    readonly database: string,
    private readonly env: Record<string, string>,
    private readonly probe: BrokerProbe,
    private readonly events: Awaited<ReturnType<BrokerProbe['listen']>>,
    private service: ServiceProcess | undefined,
  ) {
    this.http = httpClient(`http://127.0.0.1:${env.PORT}`);
  }

  /** Starts the service on a fresh database with empty payment queues; `env` adds to its environment. */
  static async start(env: Record<string, string> = {}): Promise<PaymentServiceHarness> {
    const probe = await BrokerProbe.open();
    await probe.purge('payment.commands', 'payment.events');
    const database = `payments_test_${uniqueSuffix()}`;
    const serviceEnv = {
      PORT: String(await freePort()),
      DATABASE_URL: databaseUrl(database),
      MESSAGING_RETRY_BASE_MS: '100',
      ...env,
    };
    const service = await startService('payment-service', serviceEnv).catch(async (error: Error) => {
      await probe.close();
      throw error;
    });
    // Listens once the service has declared the exchanges, which a fresh virtual host does not have.
    const events = await probe.listen('events', 'payment.*');
    return new PaymentServiceHarness(database, serviceEnv, probe, events, service);
  }

  /** Starts the service process again, on the same database, port and queues. */
  async startService(): Promise<void> {
    this.service = await startService('payment-service', this.env);
  }

  /** Stops the service process; its queues stay and fill up with what is sent meanwhile. */
  async stopService(): Promise<void> {
    await this.service?.stop();
    this.service = undefined;
  }

  async stop(): Promise<void> {
    await this.events.stop();
    await this.stopService();
    await this.probe.close();
    await dropDatabase(this.database);
  }

  /** Publishes a ChargePayment body as it is given, the way order's outbox would; returns its message id. */
  charge(body: { orderId: string } & Record<string, unknown>, options: ChargeOptions = {}): Promise<string> {
    const { version = 2, publishedAt, messageId } = options;
    return this.probe.publish('commands', ChargePayment.routingKey, JSON.stringify(body), {
      type: ChargePayment.type,
      correlationId: body.orderId,
      messageId,
      headers: { 'x-schema-version': version, 'x-published-at': publishedAt },
    });
  }

  refund(orderId: string): Promise<string> {
    return this.probe.publish('commands', RefundPayment.routingKey, JSON.stringify({ orderId }), {
      type: RefundPayment.type,
      correlationId: orderId,
    });
  }

  /** How many messages wait in payment's command queue. */
  waitingCommands(): Promise<number> {
    return this.probe.messageCount('payment.commands');
  }

  /** The events payment published about an order so far, in arrival order. */
  outcomesOf(orderId: string): ConsumeMessage[] {
    return this.events.messages.filter((message) => message.properties.correlationId === orderId);
  }

  /** Waits for the first event payment publishes about an order. */
  outcomeOf(orderId: string): Promise<ConsumeMessage> {
    return waitFor(`the outcome of order ${orderId}`, () => this.outcomesOf(orderId)[0]);
  }

  async creditOf(customerId: string): Promise<number> {
    return (await this.http.get(`/accounts/${customerId}`)).body.credit;
  }

  paymentsOf(orderId: string) {
    return this.query<{ status: string; reason: string | null }>(
      'SELECT status, reason FROM payments WHERE order_id = $1',
      [orderId],
    );
  }

  /** Whether the messages were handled: their ids are in the inbox, committed with the handler's work. */
  async handled(messageIds: string[]): Promise<boolean> {
    const rows = await this.query('SELECT 1 FROM inbox WHERE message_id = ANY($1)', [messageIds]);
    return rows.length === messageIds.length;
  }

  /** The sum of a metric's series whose labels include `label` (`outcome="duplicate"`, say). */
  async metric(name: string, label: string): Promise<number> {
    const metrics = (await this.http.get('/metrics')).text;
    return metrics
      .split('\n')
      .filter((row) => row.startsWith(`${name}{`) && row.includes(label))
      .reduce((sum, row) => sum + Number(row.split(' ').pop()), 0);
  }

  private query<T = Record<string, unknown>>(sql: string, parameters: unknown[]): Promise<T[]> {
    return query<T>(this.database, sql, parameters);
  }
}
