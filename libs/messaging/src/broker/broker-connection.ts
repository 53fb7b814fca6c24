import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { ChannelModel, connect } from 'amqplib';
import { coalesceWrites } from './coalesce-writes';

/** Something to (re)build on every fresh connection: topology, consumers, publisher channels. */
export type ConnectionSetup = (connection: ChannelModel) => Promise<void>;

const CLOSE_TIMEOUT_MS = 2000;

/**
 * One AMQP connection that recovers by itself. On any connection or channel failure it closes what is
 * left and reconnects with exponential backoff, then runs every registered setup again, so consumers and
 * publishers come back without the caller's help. Heartbeats detect dead peers. Given several nodes of a
 * cluster it starts at one chosen at random (spreading a service's connections) and moves to the next node
 * whenever a connection fails or is lost, so a dead node costs one reconnect.
 *
 * Flow control belongs to the connection RabbitMQ reported it on: `blocked` (a memory or disk alarm) is
 * cleared with that connection, so a reconnect during an alarm never leaves a stale block behind. Emits
 * `ready`, `disconnected`, `blocked` and `unblocked`.
 */
export class BrokerConnection extends EventEmitter {
  private readonly logger = new Logger(BrokerConnection.name);
  private readonly setups: ConnectionSetup[] = [];
  private connection?: ChannelModel;
  private connecting?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private stopped = false;
  private blockedSince?: number;
  private readonly urls: string[];
  /** The node the next connection goes to, an index into `urls`. */
  private node: number;

  constructor(
    urls: string | string[],
    /** Shown in RabbitMQ's connection list, e.g. `order-service 4242 publisher`. */
    readonly connectionName: string,
  ) {
    super();
    this.urls = typeof urls === 'string' ? [urls] : [...urls];
    if (this.urls.length === 0) throw new Error('BrokerConnection needs at least one RabbitMQ URL');
    this.node = Math.floor(Math.random() * this.urls.length);
  }

  private get url(): string {
    return this.urls[this.node];
  }

  /** True while a connection is open and every setup has run on it. */
  get isReady(): boolean {
    return this.connection !== undefined && this.connecting === undefined;
  }

  /** True while RabbitMQ blocks publishing on the current connection (memory or disk alarm). */
  get isBlocked(): boolean {
    return this.blockedSince !== undefined;
  }

  /** Milliseconds the current connection has been blocked, 0 when it is not. */
  blockedForMs(now = Date.now()): number {
    return this.blockedSince === undefined ? 0 : now - this.blockedSince;
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
        throw new Error(
          `RabbitMQ not reachable at ${this.urls.map((url) => safe(url)).join(', ')} within ${timeoutMs} ms`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Called by a channel owner when its channel broke, or by a watchdog: the whole connection is rebuilt. */
  recover(reason: string): void {
    if (this.stopped || !this.connection) return;
    this.logger.warn(`recovering the RabbitMQ connection ${this.connectionName}: ${reason}`);
    const broken = this.connection;
    this.detach();
    void this.close(broken);
    this.scheduleReconnect();
  }

  /** Closes the connection; bounded, so a broker that stopped reading (flow control) cannot hold it. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const connection = this.connection;
    this.detach();
    if (connection) await this.close(connection);
  }

  private async connect(): Promise<void> {
    let connection: ChannelModel | undefined;
    try {
      // Nagle's algorithm would hold small frames (a publish, an ack) back until the previous one is ACKed.
      connection = await connect(this.withHeartbeat(), {
        noDelay: true,
        clientProperties: { connection_name: this.connectionName },
      });
      // Stopped while connecting: a connection opened now would keep the process alive after shutdown.
      if (this.stopped) return void (await this.close(connection));
      const socket = socketOf(connection);
      if (socket) coalesceWrites(socket);
      this.watch(connection);
      this.connection = connection;
      this.blockedSince = undefined;
      for (const setup of this.setups) await setup(connection);
      if (this.stopped || this.connection !== connection) return;
      this.failures = 0;
      this.connecting = undefined;
      this.logger.log(`connected to RabbitMQ at ${this.safeUrl()} (${this.connectionName})`);
      this.emit('ready');
    } catch (error) {
      this.logger.warn(
        `RabbitMQ connection ${this.connectionName} to ${this.safeUrl()} failed: ${(error as Error).message}`,
      );
      if (connection && this.connection === connection) this.detach();
      if (connection) await this.close(connection);
      this.scheduleReconnect();
    }
  }

  private watch(connection: ChannelModel): void {
    const current = () => this.connection === connection;
    connection.on('error', (error: Error) =>
      this.logger.warn(`RabbitMQ connection ${this.connectionName} error: ${error.message}`),
    );
    connection.on('close', () => {
      if (!current()) return;
      this.detach();
      if (!this.stopped) {
        this.logger.warn(`RabbitMQ connection ${this.connectionName} closed; reconnecting`);
        this.scheduleReconnect();
      }
    });
    connection.on('blocked', (reason: string) => {
      if (!current()) return;
      this.blockedSince ??= Date.now();
      this.logger.warn(`RabbitMQ blocks publishing on ${this.connectionName}: ${reason}`);
      this.emit('blocked', reason);
    });
    connection.on('unblocked', () => {
      if (!current()) return;
      this.blockedSince = undefined;
      this.logger.log(`RabbitMQ unblocked ${this.connectionName}`);
      this.emit('unblocked');
    });
  }

  /** Forgets the current connection and everything that was true of it. */
  private detach(): void {
    const had = this.connection !== undefined;
    const wasBlocked = this.blockedSince !== undefined;
    this.connection = undefined;
    this.blockedSince = undefined;
    if (had) this.emit('disconnected');
    if (wasBlocked) this.emit('unblocked');
  }

  private async close(connection: ChannelModel): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS);
    });
    const closed = connection.close().catch(() => 'closed');
    const outcome = await Promise.race([closed, timedOut]);
    clearTimeout(timer);
    // RabbitMQ stops reading a blocked connection's socket, so its close-ok may never come: drop the socket.
    if (outcome === 'timeout') socketOf(connection)?.destroy();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    // The node that failed is tried again only after every other one.
    this.node = (this.node + 1) % this.urls.length;
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
    return safe(this.url);
  }
}

/** A URL as logs show it: the password masked. */
function safe(value: string): string {
  const url = new URL(value);
  url.password = url.password ? '***' : '';
  return url.toString();
}

/** The TCP socket under an amqplib connection (not part of its typed API). */
function socketOf(connection: ChannelModel): Socket | undefined {
  return (connection as unknown as { connection?: { stream?: Socket } }).connection?.stream;
}
