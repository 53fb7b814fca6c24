import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { OUTBOX_CHANNEL } from './outbox.store';

/**
 * Holds one dedicated connection that LISTENs for outbox commits of other processes (this process's own
 * commits wake its relay directly, and are ignored here) and calls `onNotify`. It reconnects with
 * backoff when PostgreSQL goes away; the relay's polling covers the gap.
 */
export class OutboxListener {
  private readonly logger = new Logger(OutboxListener.name);
  private client?: Client;
  private stopped = false;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;

  constructor(
    private readonly databaseUrl: string,
    /** The payload of this process's own NOTIFYs: its relay is woken by the commit itself. */
    private readonly ownPayload: string,
    private readonly onNotify: () => void,
  ) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, keepAlive: true });
    this.client = client;
    client.on('notification', (message) => {
      if (message.payload !== this.ownPayload) this.onNotify();
    });
    client.on('error', (error) => this.reconnect(client, error));
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.failures = 0;
      this.onNotify(); // Whatever was committed while we were not listening.
    } catch (error) {
      this.reconnect(client, error as Error);
    }
  }

  private reconnect(client: Client, error?: Error): void {
    if (this.stopped || client !== this.client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    const delay = Math.min(250 * 2 ** this.failures++, 10_000);
    if (error)
      this.logger.warn(`outbox listener lost its connection (${error.message}); retrying in ${delay} ms`);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }
}
