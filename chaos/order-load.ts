import { randomUUID } from 'node:crypto';
import { sleep, tokenFor } from '@platform/testing';
import { Catalogue } from './catalogue';

/** One order the client tried to place, and what came of it. */
export interface PlacedOrder {
  key: string;
  customerId: string;
  firstAttemptAt: number;
  attempts: number;
  /** The id of the order, once a 202 named it. */
  orderId?: string;
  acceptedAt?: number;
  /** Every order id answered for this key: more than one breaks idempotency. */
  answeredIds: Set<string>;
  outcome: 'pending' | 'accepted' | 'gave-up' | 'refused';
  /** For `refused`: the answer that is not worth retrying (4xx other than 408/429). */
  refusal?: string;
}

/** How the client drives the order service. */
export interface LoadOptions {
  ordersPerSecond: number;
  /** A request without an answer by then counts as failed and is retried. */
  requestTimeoutMs: number;
  /** After this long without a 202, an order is given up. */
  giveUpAfterMs: number;
  /** Sends each order's first attempt to every target at once (replicas racing on one key). */
  raceTargets: boolean;
}

const defaults: LoadOptions = {
  ordersPerSecond: 15,
  requestTimeoutMs: 5_000,
  giveUpAfterMs: 45_000,
  raceTargets: false,
};

/**
 * A steady stream of orders over `POST /orders`, each with its own Idempotency-Key, retried with the same key
 * and body on connection errors, timeouts, 408, 429 and 5xx until a 202 (or the give-up bound), like a careful
 * client. Orders are spread over the fault's customers and products, with now and then an unknown SKU.
 */
export class OrderLoad {
  readonly orders: PlacedOrder[] = [];
  private readonly options: LoadOptions;
  private readonly inFlight = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private next = 0;

  constructor(
    private readonly targets: string[],
    private readonly catalogue: Catalogue,
    options: Partial<LoadOptions> = {},
  ) {
    this.options = { ...defaults, ...options };
  }

  start(): void {
    this.timer = setInterval(() => {
      const order = this.place();
      this.inFlight.add(order);
      void order.finally(() => this.inFlight.delete(order));
    }, 1000 / this.options.ordersPerSecond);
  }

  /** Stops placing new orders and waits for the ones still retrying to end. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  accepted(): PlacedOrder[] {
    return this.orders.filter((order) => order.outcome === 'accepted');
  }

  private async place(): Promise<void> {
    const customer = this.catalogue.customers[Math.floor(Math.random() * this.catalogue.customers.length)];
    const order: PlacedOrder = {
      key: randomUUID(),
      customerId: customer.id,
      firstAttemptAt: Date.now(),
      attempts: 0,
      answeredIds: new Set(),
      outcome: 'pending',
    };
    this.orders.push(order);
    const body = JSON.stringify({ customerId: customer.id, items: this.lines() });
    let delay = 200;
    let first = true;
    while (order.outcome === 'pending') {
      const targets = first && this.options.raceTargets ? this.targets : [this.target()];
      first = false;
      const answers = await Promise.all(targets.map((target) => this.attempt(order, target, body)));
      if (answers.includes('accepted')) order.outcome = 'accepted';
      else if (answers.every((answer) => answer === 'refused')) order.outcome = 'refused';
      else if (Date.now() - order.firstAttemptAt > this.options.giveUpAfterMs) order.outcome = 'gave-up';
      else {
        await sleep(delay * (0.5 + Math.random()));
        delay = Math.min(delay * 2, 2_000);
      }
    }
  }

  private async attempt(
    order: PlacedOrder,
    target: string,
    body: string,
  ): Promise<'accepted' | 'retry' | 'refused'> {
    order.attempts += 1;
    try {
      // The customer places its own order, with its own token (and verified address), as a client would.
      const token = await tokenFor({
        customer: order.customerId,
        email: `${order.customerId}@customers.example.com`,
      });
      const response = await fetch(`${target}/orders`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': order.key,
          authorization: `Bearer ${token}`,
        },
        body,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      const text = await response.text();
      if (response.status === 202) {
        const id = (JSON.parse(text) as { id: string }).id;
        order.answeredIds.add(id);
        order.orderId ??= id;
        order.acceptedAt ??= Date.now();
        return 'accepted';
      }
      if (response.status >= 500 || response.status === 408 || response.status === 429) return 'retry';
      order.refusal = `${response.status} ${text.slice(0, 200)}`;
      return 'refused';
    } catch {
      return 'retry';
    }
  }

  private target(): string {
    this.next = (this.next + 1) % this.targets.length;
    return this.targets[this.next];
  }

  private lines(): Array<{ sku: string; quantity: number }> {
    const skus = this.catalogue.products.map((product) => product.sku);
    const count = 1 + Math.floor(Math.random() * 3);
    const chosen = new Set<string>();
    while (chosen.size < count) chosen.add(skus[Math.floor(Math.random() * skus.length)]);
    if (Math.random() < 0.03) chosen.add(this.catalogue.unknownSku);
    return [...chosen].map((sku) => ({ sku, quantity: 1 + Math.floor(Math.random() * 3) }));
  }
}
