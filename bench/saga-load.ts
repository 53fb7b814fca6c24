/**
 * Load shapes on the running platform: one order at a time (light), a fixed arrival rate (open loop), and
 * clients that each place their next order when the last one ended (closed loop, to saturation).
 */
import { sleep, TEST_OPERATOR, tokenFor } from '@platform/testing';
import { BenchPlatform } from './bench-platform';
import { Catalogue, OrderClient, OrderView, Placement, sagaLatencyMs } from './order-client';

const PRODUCTS = 20;
const CUSTOMERS = 50;
/** An order that has not ended after this long counts as lost for the run. */
const END_TIMEOUT_MS = 60_000;

/**
 * Products with stock and customers with credit that no run can exhaust, created over the REST APIs by an
 * operator (development tokens, as `npm run token -- <name> --admin` makes them).
 */
export async function seedCatalogue(platform: BenchPlatform): Promise<Catalogue> {
  const skus = Array.from({ length: PRODUCTS }, (_, index) => `BENCH-${String(index).padStart(3, '0')}`);
  const customers = Array.from({ length: CUSTOMERS }, (_, index) => `bench-customer-${index}`);
  const put = async (url: string, body: object) => {
    const response = await fetch(url, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await tokenFor(TEST_OPERATOR)}`,
      },
      body: JSON.stringify(body),
    });
    if (response.status >= 300)
      throw new Error(`PUT ${url} answered ${response.status}: ${await response.text()}`);
  };
  for (const sku of skus) {
    await put(`${platform.url('inventory')}/products/${sku}`, {
      name: `Bench ${sku}`,
      price: 9.99,
      stock: 900_000_000,
    });
  }
  for (const customer of customers) {
    await put(`${platform.url('payment')}/accounts/${customer}`, { credit: 900_000_000 });
  }
  return { skus, customers };
}

export interface LightResult {
  /** First history entry → terminal one, per order (SPEC section 7). */
  sagaMs: number[];
  /** POST sent → terminal event seen by the client. */
  clientMs: number[];
  orders: OrderView[];
  notConfirmed: number;
}

/** `count` orders, one at a time, each after the previous one ended and a short pause. */
export async function lightLoad(
  client: OrderClient,
  count: number,
  progress: (line: string) => void,
): Promise<LightResult> {
  const result: LightResult = { sagaMs: [], clientMs: [], orders: [], notConfirmed: 0 };
  for (let index = 0; index < count; index += 1) {
    const placement = await client.place();
    if (!placement.orderId) throw new Error(`POST /orders answered ${placement.status}`);
    const status = await client.ended(placement.orderId, END_TIMEOUT_MS);
    if (status !== 'CONFIRMED') result.notConfirmed += 1;
    const order = await client.order(placement.orderId);
    result.orders.push(order);
    const saga = sagaLatencyMs(order);
    if (saga !== undefined) result.sagaMs.push(saga);
    const endedAt = client.endedAt(placement.orderId);
    if (endedAt !== undefined) result.clientMs.push(endedAt - placement.sentAt);
    if ((index + 1) % 10 === 0) progress(`light: ${index + 1}/${count} orders`);
    // Let relays, pools and timers go idle, so each order meets the platform at rest.
    await sleep(50);
  }
  return result;
}

export interface LoadResult {
  placements: Placement[];
  /** Orders whose terminal event arrived within the measured window. */
  endedInWindow: number;
  /** Orders accepted but not ended END_TIMEOUT_MS after the window. */
  neverEnded: number;
  notConfirmed: number;
  windowS: number;
  /** Seconds after the window until every accepted order had ended. */
  drainS: number;
}

async function awaitEnds(
  client: OrderClient,
  placements: Placement[],
  windowEnd: number,
): Promise<Omit<LoadResult, 'placements' | 'windowS' | 'endedInWindow'>> {
  const accepted = placements.filter((placement) => placement.orderId !== undefined);
  const statuses = await Promise.all(
    accepted.map((placement) => client.ended(placement.orderId!, END_TIMEOUT_MS)),
  );
  const lastEnd = Math.max(
    windowEnd,
    ...accepted.map((placement) => client.endedAt(placement.orderId!) ?? windowEnd),
  );
  return {
    neverEnded: statuses.filter((status) => status === 'timeout').length,
    notConfirmed: statuses.filter((status) => status === 'CANCELLED').length,
    drainS: (lastEnd - windowEnd) / 1000,
  };
}

/** Places `rate` orders per second for `durationS`, whatever the answers take. */
export async function openLoop(
  client: OrderClient,
  rate: number,
  durationS: number,
  progress: (line: string) => void,
): Promise<LoadResult> {
  const placements: Promise<Placement>[] = [];
  const started = performance.now();
  const windowEnd = started + durationS * 1000;
  let reported = 0;
  while (performance.now() < windowEnd) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate) + 1;
    while (placements.length < due) placements.push(client.place());
    const second = Math.floor((performance.now() - started) / 1000);
    if (second > reported) {
      reported = second;
      progress(`open: ${second}/${durationS} s, ${placements.length} orders sent`);
    }
    await sleep(Math.max(1, Math.min(5, 1000 / rate)));
  }
  const placed = await Promise.all(placements);
  const endedInWindow = placed.filter(
    (placement) => (client.endedAt(placement.orderId ?? '') ?? Infinity) <= windowEnd,
  ).length;
  return {
    placements: placed,
    endedInWindow,
    windowS: durationS,
    ...(await awaitEnds(client, placed, windowEnd)),
  };
}

/** `clients` clients, each placing an order and waiting for it to end, over and over for `durationS`. */
export async function closedLoop(
  client: OrderClient,
  clients: number,
  durationS: number,
  progress: (line: string) => void,
): Promise<LoadResult> {
  const placements: Placement[] = [];
  const started = performance.now();
  const windowEnd = started + durationS * 1000;
  let endedInWindow = 0;
  const ticker = setInterval(
    () =>
      progress(
        `closed: ${Math.round((performance.now() - started) / 1000)}/${durationS} s, ${endedInWindow} orders ended`,
      ),
    1000,
  );
  try {
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (performance.now() < windowEnd) {
          const placement = await client.place();
          placements.push(placement);
          if (!placement.orderId) continue;
          await client.ended(placement.orderId, END_TIMEOUT_MS);
          if ((client.endedAt(placement.orderId) ?? Infinity) <= windowEnd) endedInWindow += 1;
        }
      }),
    );
  } finally {
    clearInterval(ticker);
  }
  return {
    placements,
    endedInWindow,
    windowS: durationS,
    ...(await awaitEnds(client, placements, windowEnd)),
  };
}
