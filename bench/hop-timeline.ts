/**
 * Where one order's time goes, hop by hop, from what the services recorded themselves: each message's
 * outbox row (written in the sender's transaction, `created_at`; marked after RabbitMQ confirmed it,
 * `published_at`), the receiver's inbox record (`received_at`, first statement of its transaction), and the
 * outbox row that handling wrote (`causation_id`). All clocks are this host's.
 */
import { query } from '@platform/testing';
import { summarize } from './statistics';

interface OutboxRecord {
  service: string;
  messageId: string;
  causationId: string | null;
  type: string;
  createdAt: number;
  publishedAt: number | null;
}

interface InboxRecord {
  service: string;
  messageId: string;
  receivedAt: number;
}

/** The median and 99th percentile of one stretch of a hop, over every order measured. */
export interface HopStretch {
  stretch: string;
  p50: number;
  p99: number;
  count: number;
}

async function outboxOf(service: string, database: string, orderIds: string[]): Promise<OutboxRecord[]> {
  const rows = await query<{
    message_id: string;
    causation_id: string | null;
    type: string;
    created_at: Date;
    published_at: Date | null;
  }>(
    database,
    `SELECT message_id, causation_id, type, created_at, published_at FROM outbox WHERE correlation_id = ANY($1)`,
    [orderIds],
  );
  return rows.map((row) => ({
    service,
    messageId: row.message_id,
    causationId: row.causation_id,
    type: row.type,
    createdAt: row.created_at.getTime(),
    publishedAt: row.published_at?.getTime() ?? null,
  }));
}

async function inboxOf(service: string, database: string, messageIds: string[]): Promise<InboxRecord[]> {
  const rows = await query<{ message_id: string; received_at: Date }>(
    database,
    `SELECT message_id, received_at FROM inbox WHERE message_id = ANY($1::uuid[])`,
    [messageIds],
  );
  return rows.map((row) => ({ service, messageId: row.message_id, receivedAt: row.received_at.getTime() }));
}

/**
 * For every message type of the orders: outbox lag (written → marked published), written → received by
 * each consumer, and for each consumer the time from receiving it to writing what it sent in reply.
 * PostgreSQL's timestamps have microseconds but JavaScript dates keep milliseconds: good enough at this scale.
 */
export async function hopTimeline(
  databases: Record<string, string>,
  orderIds: string[],
): Promise<HopStretch[]> {
  const services = Object.keys(databases);
  const sent = (
    await Promise.all(services.map((service) => outboxOf(service, databases[service], orderIds)))
  ).flat();
  const ids = sent.map((row) => row.messageId);
  const received = (
    await Promise.all(services.map((service) => inboxOf(service, databases[service], ids)))
  ).flat();
  const samples = new Map<string, number[]>();
  const add = (stretch: string, value: number) =>
    samples.set(stretch, [...(samples.get(stretch) ?? []), value]);
  for (const message of sent) {
    if (message.publishedAt !== null)
      add(`${message.type}: outbox lag (${message.service})`, message.publishedAt - message.createdAt);
    for (const receipt of received.filter((row) => row.messageId === message.messageId)) {
      add(
        `${message.type}: written → received by ${receipt.service}`,
        receipt.receivedAt - message.createdAt,
      );
      const reply = sent.find(
        (row) => row.causationId === message.messageId && row.service === receipt.service,
      );
      if (reply)
        add(
          `${message.type}: received → reply written (${receipt.service})`,
          reply.createdAt - receipt.receivedAt,
        );
    }
  }
  return [...samples].map(([stretch, values]) => {
    const summary = summarize(values);
    return { stretch, p50: summary.p50, p99: summary.p99, count: summary.count };
  });
}

/** Median time between consecutive history entries of the orders, e.g. `PENDING → STOCK_RESERVED`. */
export function historySteps(
  histories: Array<Array<{ status?: string; step?: string; at: string }>>,
): HopStretch[] {
  const samples = new Map<string, number[]>();
  for (const history of histories) {
    for (let index = 1; index < history.length; index += 1) {
      const from = history[index - 1];
      const to = history[index];
      const stretch = `history ${from.status ?? from.step} → ${to.status ?? to.step}`;
      samples.set(stretch, [...(samples.get(stretch) ?? []), Date.parse(to.at) - Date.parse(from.at)]);
    }
  }
  return [...samples].map(([stretch, values]) => {
    const summary = summarize(values);
    return { stretch, p50: summary.p50, p99: summary.p99, count: summary.count };
  });
}
