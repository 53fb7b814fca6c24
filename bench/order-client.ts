/**
 * The benchmark's client of the order saga: places orders over REST and learns when each ends from the
 * saga's own terminal events (a queue of its own bound to OrderConfirmed and OrderCancelled), so waiting
 * for many orders costs the platform no polling.
 */
import { randomUUID } from 'node:crypto';
import { Channel, ChannelModel, connect } from 'amqplib';
import { OrderCancelled, OrderConfirmed } from '@platform/contracts';
import { EVENTS_EXCHANGE } from '@platform/messaging';
import { TEST_OPERATOR, tokenFor } from '@platform/testing';

/** An order as GET /orders/{id} shows it, the parts the benchmark reads. */
export interface OrderView {
  id: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  cancellationReason?: string | null;
  history: Array<{ status?: string; step?: string; at: string }>;
}

/** What placing one order took, seen from the client. */
export interface Placement {
  orderId?: string;
  status: number;
  /** Milliseconds from sending POST /orders to its answer. */
  postMs: number;
  sentAt: number;
}

/** A catalogue every order draws on: enough stock and credit that no order is refused for either. */
export interface Catalogue {
  skus: string[];
  customers: string[];
}

export class OrderClient {
  private readonly waiting = new Map<string, (status: string) => void>();
  private readonly terminal = new Map<string, { status: string; at: number }>();
  private cursor = 0;

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: Channel,
    private readonly orderUrls: string[],
    private readonly catalogue: Catalogue,
  ) {}

  static async open(rabbitmqUrl: string, orderUrls: string[], catalogue: Catalogue): Promise<OrderClient> {
    const connection = await connect(rabbitmqUrl, { noDelay: true });
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    for (const type of [OrderConfirmed, OrderCancelled]) {
      await channel.bindQueue(queue, EVENTS_EXCHANGE, type.routingKey);
    }
    const client = new OrderClient(connection, channel, orderUrls, catalogue);
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        const { orderId } = JSON.parse(message.content.toString()) as { orderId: string };
        const status = message.properties.type === OrderConfirmed.type ? 'CONFIRMED' : 'CANCELLED';
        client.terminal.set(orderId, { status, at: performance.now() });
        client.waiting.get(orderId)?.(status);
        client.waiting.delete(orderId);
      },
      { noAck: true },
    );
    return client;
  }

  /** Places one order of one to three lines for a customer of the catalogue, on the next order process. */
  async place(): Promise<Placement> {
    this.cursor += 1;
    const url = this.orderUrls[this.cursor % this.orderUrls.length];
    const { skus, customers } = this.catalogue;
    const lines = 1 + (this.cursor % 3);
    const items = Array.from({ length: lines }, (_, line) => ({
      sku: skus[(this.cursor + line) % skus.length],
      quantity: 1 + (line % 2),
    }));
    const customerId = customers[this.cursor % customers.length];
    const body = JSON.stringify({ customerId, items });
    // Each order is placed by its customer, with the customer's own token (throttling is per customer).
    const token = await tokenFor({ customer: customerId });
    const sentAt = performance.now();
    try {
      const response = await fetch(`${url}/orders`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': randomUUID(),
          authorization: `Bearer ${token}`,
        },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const answer = (await response.json().catch(() => ({}))) as { id?: string };
      return { orderId: answer.id, status: response.status, postMs: performance.now() - sentAt, sentAt };
    } catch {
      return { status: 0, postMs: performance.now() - sentAt, sentAt };
    }
  }

  /** Resolves with CONFIRMED or CANCELLED once the order's terminal event arrives, or `timeout`. */
  ended(orderId: string, timeoutMs: number): Promise<string> {
    const known = this.terminal.get(orderId);
    if (known) return Promise.resolve(known.status);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(orderId);
        resolve('timeout');
      }, timeoutMs);
      this.waiting.set(orderId, (status) => {
        clearTimeout(timer);
        resolve(status);
      });
    });
  }

  /** When (performance.now()) the client saw the order's terminal event. */
  endedAt(orderId: string): number | undefined {
    return this.terminal.get(orderId)?.at;
  }

  /** How many terminal events arrived so far. */
  get endedCount(): number {
    return this.terminal.size;
  }

  /** GET /orders/{id}. */
  async order(orderId: string): Promise<OrderView> {
    const response = await fetch(`${this.orderUrls[0]}/orders/${orderId}`, {
      headers: { authorization: `Bearer ${await tokenFor(TEST_OPERATOR)}` },
    });
    if (response.status !== 200) throw new Error(`GET /orders/${orderId} answered ${response.status}`);
    return (await response.json()) as OrderView;
  }

  async close(): Promise<void> {
    await this.channel.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}

/** Milliseconds from an order's first history entry to its terminal one (SPEC section 7), or undefined. */
export function sagaLatencyMs(order: OrderView): number | undefined {
  const terminal = order.history.find(
    (entry) => entry.status === 'CONFIRMED' || entry.status === 'CANCELLED',
  );
  if (!terminal || order.history.length === 0) return undefined;
  return Date.parse(terminal.at) - Date.parse(order.history[0].at);
}
