import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import { ChannelModel, connect } from 'amqplib';

/** Something to (re)build on every fresh connection: topology, consumers, publisher channels. */
export type ConnectionSetup = (connection: ChannelModel) => Promise<void>;

/**
 * One AMQP connection per process that recovers by itself. On any connection or channel failure it closes
 * what is left and reconnects with exponential backoff, then runs every registered setup again, so
 * consumers and publishers come back without the caller's help. Heartbeats detect dead peers; `blocked`
 * (broker flow control) is exposed so publishers can wait instead of piling up writes.
 */
export class BrokerConnection extends EventEmitter {
  private readonly logger = new Logger(BrokerConnection.name);
  private readonly setups: ConnectionSetup[] = [];
  private connection?: ChannelModel;
  private connecting?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private stopped = false;
  private blocked = false;

  constructor(
    private readonly url: string,
    private readonly connectionName: string,
  ) {
    super();
  }

  /** True while a connection is open and every setup has run on it. */
  get isReady(): boolean {
    return this.connection !== undefined && this.connecting === undefined;
  }

  /** True while the broker has told us to stop publishing (memory or disk alarm). */
  get isBlocked(): boolean {
    return this.blocked;
  }

  /** Registers work to run on every new connection; runs it now if already connected. */
  async onConnected(setup: ConnectionSetup): Promise<void> {
    this.setups.push(setup);
    if (this.isReady && this.connection) await setup(this.connection);
  }

  /** Starts connecting in the background; readiness reports the state until it succeeds. */
  start(): void {
    this.stopped = false;
    this.connecting = this.connect();
  }

  /** Resolves once connected and set up, or rejects after `timeoutMs`. */
  async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.isReady) {
      if (Date.now() > deadline)
        throw new Error(`RabbitMQ not reachable at ${this.safeUrl()} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Called by a channel owner when its channel broke: the whole connection is rebuilt. */
  recover(reason: string): void {
    if (this.stopped || !this.connection) return;
    this.logger.warn(`recovering the RabbitMQ connection: ${reason}`);
    const broken = this.connection;
    this.connection = undefined;
    broken.close().catch(() => undefined);
    this.scheduleReconnect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    try {
      const connection = await connect(this.withHeartbeat(), {
        clientProperties: { connection_name: this.connectionName },
      });
      connection.on('error', (error: Error) =>
        this.logger.warn(`RabbitMQ connection error: ${error.message}`),
      );
      connection.on('close', () => {
        if (this.connection !== connection) return;
        this.connection = undefined;
        this.emit('disconnected');
        if (!this.stopped) {
          this.logger.warn('RabbitMQ connection closed; reconnecting');
          this.scheduleReconnect();
        }
      });
      connection.on('blocked', (reason: string) => {
        this.blocked = true;
        this.logger.warn(`RabbitMQ blocked publishing: ${reason}`);
      });
      connection.on('unblocked', () => {
        this.blocked = false;
        this.emit('unblocked');
      });
      this.connection = connection;
      for (const setup of this.setups) await setup(connection);
      this.failures = 0;
      this.connecting = undefined;
      this.logger.log(`connected to RabbitMQ at ${this.safeUrl()}`);
      this.emit('ready');
    } catch (error) {
      this.logger.warn(`RabbitMQ connection failed: ${(error as Error).message}`);
      const failed = this.connection;
      this.connection = undefined;
      await failed?.close().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = Math.min(200 * 2 ** this.failures++, 10_000);
    let resolveConnecting: () => void = () => undefined;
    this.connecting = new Promise((resolve) => (resolveConnecting = resolve));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      void this.connect().then(resolveConnecting);
    }, delay);
  }

  private withHeartbeat(): string {
    const url = new URL(this.url);
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', '10');
    return url.toString();
  }

  private safeUrl(): string {
    const url = new URL(this.url);
    url.password = url.password ? '***' : '';
    return url.toString();
  }
}
