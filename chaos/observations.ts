import { BrokerProbe } from '@platform/testing';
import { Catalogue } from './catalogue';
import { ChaosInfrastructure } from './chaos-infrastructure';
import { DATABASES, SERVICES, ServiceName } from './chaos-platform';

/** An order of the fault as order-service stored it. */
export interface StoredOrder {
  id: string;
  customerId: string;
  status: 'PENDING' | 'CONFIRMED' | 'CANCELLED';
  totalCents: number | null;
  /** When its history reached CONFIRMED or CANCELLED. */
  terminalAt: Date | null;
}

/** A payment row of the fault. */
export interface StoredPayment {
  orderId: string;
  customerId: string;
  status: 'CAPTURED' | 'DECLINED' | 'REFUNDED';
  amountCents: number;
}

/** A message found in a service's dead-letter queue. */
export interface DeadLetter {
  queue: string;
  messageId: string;
  type: string;
  reason: string;
}

/** One mail about an order: what it told (`ORDER_CONFIRMED` / `ORDER_CANCELLED`) and its Message-ID. */
export interface ObservedMail {
  type: string;
  messageId: string;
}

/** Everything the pass rules look at once a fault has drained: rows of its own tag, plus what is global. */
export interface Observations {
  orders: Map<string, StoredOrder>;
  /** Units per SKU in CONFIRMED orders. */
  soldUnits: Map<string, number>;
  products: Map<string, { available: number; reserved: number }>;
  credits: Map<string, number>;
  payments: StoredPayment[];
  /** Notification rows per order id: their types. */
  notificationRows: Map<string, string[]>;
  /** Mails the catcher received per order id, in the order received. */
  mails: Map<string, ObservedMail[]>;
  /** Outbox rows not yet published, per service, over the whole database. */
  unpublished: Record<ServiceName, number>;
}

const like = (catalogue: Catalogue) => `${catalogue.tag}-%`;
const MAIL_ABOUT_ORDER = /your order ([0-9a-f-]{36}) (is confirmed|was cancelled)/;

/** Reads the fault's rows from every service database and the mails sent about its orders. */
export async function observe(
  infrastructure: ChaosInfrastructure,
  catalogue: Catalogue,
): Promise<Observations> {
  const { postgres } = infrastructure;
  const [orders, sold, products, credits, payments, notifications, unpublished] = await Promise.all([
    postgres.query<{
      id: string;
      customer_id: string;
      status: StoredOrder['status'];
      total: string | null;
      terminal_at: Date | null;
    }>(
      DATABASES.order,
      `SELECT o.id, o.customer_id, o.status, o.total,
              (SELECT min(h.at) FROM order_history h
                WHERE h.order_id = o.id AND h.entry IN ('CONFIRMED', 'CANCELLED')) AS terminal_at
         FROM orders o WHERE o.customer_id LIKE $1`,
      [like(catalogue)],
    ),
    postgres.query<{ sku: string; units: string }>(
      DATABASES.order,
      `SELECT l.sku, sum(l.quantity) AS units FROM order_lines l JOIN orders o ON o.id = l.order_id
        WHERE o.status = 'CONFIRMED' AND o.customer_id LIKE $1 GROUP BY l.sku`,
      [like(catalogue)],
    ),
    postgres.query<{ sku: string; available: number; reserved: number }>(
      DATABASES.inventory,
      `SELECT sku, available, reserved FROM products WHERE sku LIKE $1`,
      [like(catalogue)],
    ),
    postgres.query<{ customer_id: string; credit_cents: string }>(
      DATABASES.payment,
      `SELECT customer_id, credit_cents FROM accounts WHERE customer_id LIKE $1`,
      [like(catalogue)],
    ),
    postgres.query<{
      order_id: string;
      customer_id: string;
      status: StoredPayment['status'];
      amount_cents: string;
    }>(
      DATABASES.payment,
      `SELECT order_id, customer_id, status, amount_cents FROM payments WHERE customer_id LIKE $1`,
      [like(catalogue)],
    ),
    postgres.query<{ order_id: string; type: string }>(
      DATABASES.notification,
      `SELECT order_id, type FROM notifications WHERE customer_id LIKE $1`,
      [like(catalogue)],
    ),
    unpublishedOutboxRows(infrastructure),
  ]);
  const orderIds = new Set(orders.map((order) => order.id));
  return {
    orders: new Map(
      orders.map((row) => [
        row.id,
        {
          id: row.id,
          customerId: row.customer_id,
          status: row.status,
          totalCents: row.total === null ? null : Number(row.total),
          terminalAt: row.terminal_at,
        },
      ]),
    ),
    soldUnits: new Map(sold.map((row) => [row.sku, Number(row.units)])),
    products: new Map(products.map((row) => [row.sku, { available: row.available, reserved: row.reserved }])),
    credits: new Map(credits.map((row) => [row.customer_id, Number(row.credit_cents)])),
    payments: payments.map((row) => ({
      orderId: row.order_id,
      customerId: row.customer_id,
      status: row.status,
      amountCents: Number(row.amount_cents),
    })),
    notificationRows: group(notifications.map((row) => [row.order_id, row.type])),
    mails: group(
      infrastructure.mail.mails.flatMap((mail): Array<[string, ObservedMail]> => {
        const match = MAIL_ABOUT_ORDER.exec(mail.text);
        if (!match || !orderIds.has(match[1])) return [];
        const type = match[2] === 'is confirmed' ? 'ORDER_CONFIRMED' : 'ORDER_CANCELLED';
        return [[match[1], { type, messageId: mail.messageId }]];
      }),
    ),
    unpublished,
  };
}

/** Outbox rows not yet published in each service's database. */
export async function unpublishedOutboxRows(
  infrastructure: ChaosInfrastructure,
): Promise<Record<ServiceName, number>> {
  const counts = await Promise.all(
    SERVICES.map(async (service) => {
      const [row] = await infrastructure.postgres.query<{ count: string }>(
        DATABASES[service],
        `SELECT count(*) FROM outbox WHERE published_at IS NULL`,
      );
      return Number(row.count);
    }),
  );
  return Object.fromEntries(SERVICES.map((service, index) => [service, counts[index]])) as Record<
    ServiceName,
    number
  >;
}

/** Takes every message out of every service's dead-letter queue (so the next fault starts with them empty). */
export async function takeDeadLetters(
  infrastructure: ChaosInfrastructure,
  vhost: string,
): Promise<DeadLetter[]> {
  const probe = await BrokerProbe.open(infrastructure.rabbitmq.url(vhost));
  try {
    const letters: DeadLetter[] = [];
    for (const service of SERVICES) {
      const queue = `${service}.dlq`;
      for (const message of await probe.drain(queue).catch(() => [])) {
        const headers = message.properties.headers ?? {};
        letters.push({
          queue,
          messageId: String(message.properties.messageId),
          type: String(message.properties.type),
          reason: String(headers['x-error-reason'] ?? 'unknown'),
        });
      }
    }
    return letters;
  } finally {
    await probe.close();
  }
}

function group<T>(pairs: Array<[string, T]>): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const [key, value] of pairs) grouped.set(key, [...(grouped.get(key) ?? []), value]);
  return grouped;
}
