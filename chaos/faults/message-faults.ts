import { randomUUID } from 'node:crypto';
import { GetMessage } from 'amqplib';
import {
  ChargePayment,
  OrderConfirmed,
  PaymentCaptured,
  PaymentDeclined,
  ReserveStock,
  StockReservationRejected,
  StockReserved,
} from '@platform/contracts';
import { BrokerProbe } from '@platform/testing';
import { DATABASES, SERVICES } from '../chaos-platform';
import { Fault, FaultContext } from '../fault';
import { consumedMessages } from '../service-metrics';

/** Every work queue, with a message type it really handles (so only the poison itself is wrong). */
const workQueues = [
  { queue: 'order.events', type: StockReserved.type },
  { queue: 'inventory.commands', type: ReserveStock.type },
  { queue: 'inventory.events', type: OrderConfirmed.type },
  { queue: 'payment.commands', type: ChargePayment.type },
  { queue: 'notification.events', type: OrderConfirmed.type },
];

/** The four kinds of poison of the issue, as (type, body) for a queue that handles `handledType`. */
const poisonKinds = (handledType: string) => [
  { kind: 'malformed', type: handledType, body: '{"orderId": "' },
  { kind: 'wrong-schema', type: handledType, body: JSON.stringify({ orderId: 'not-a-uuid', lines: 'none' }) },
  { kind: 'unknown-type', type: 'ChaosUnknownMessage', body: JSON.stringify({ orderId: randomUUID() }) },
  {
    kind: 'over-1-mib',
    type: handledType,
    body: JSON.stringify({ orderId: randomUUID(), padding: 'x'.repeat(1024 * 1024 + 1024) }),
  },
];

/** Malformed, wrong-schema, unknown-type and over-1-MiB messages published straight into every work queue. */
export function poison(): Fault {
  return {
    name: 'poison',
    summary: 'malformed, wrong-schema, unknown-type and over-1-MiB messages into every work queue',
    async inject({ infrastructure, platform, poison: injected, progress }) {
      const probe = await BrokerProbe.open(infrastructure.rabbitmq.url(platform.shape.vhost));
      try {
        for (const { queue, type: handledType } of workQueues) {
          for (const { type, body } of poisonKinds(handledType)) {
            injected.push(await probe.publish('', queue, body, { type, correlationId: randomUUID() }));
          }
        }
      } finally {
        await probe.close();
      }
      progress(`${injected.length} poison messages published into ${workQueues.length} work queues`);
    },
  };
}

/** Every message published three times by the relay (TEST_PUBLISH_COPIES=3, same messageId each time). */
export function deliveredThreeTimes(): Fault {
  return {
    name: 'duplicates-x3',
    summary: 'every event and command delivered three times (TEST_PUBLISH_COPIES=3)',
    shape: {
      environment: Object.fromEntries(SERVICES.map((service) => [service, { TEST_PUBLISH_COPIES: '3' }])),
    },
    holdMs: 10_000,
    async inject({ progress }) {
      progress('every service publishes each outbox message three times');
    },
    async verify({ platform }) {
      let duplicates = 0;
      for (const instance of platform.all()) duplicates += await consumedMessages(instance.url, 'duplicate');
      return duplicates === 0
        ? 'no consumer saw a duplicate delivery (is TEST_PUBLISH_COPIES implemented?)'
        : undefined;
    },
  };
}

/** The replies order-service's saga waits for. */
const replyKeys = [StockReserved, StockReservationRejected, PaymentCaptured, PaymentDeclined].map(
  (type) => type.routingKey,
);
const HOLD_QUEUE = 'chaos.held-replies';
const STEP_TIMEOUT_MS = 3_000;

/**
 * Replies to order-service held back for 8 s (its step timeout shortened to 3 s, so many arrive after the
 * order timed out and was compensated), then delivered in shuffled order. The hold is a queue of the suite's
 * bound to the reply routing keys while order.events is unbound from them.
 */
export function lateShuffledReplies(): Fault {
  let held = 0;
  let timedOut = 0;
  const rebind = async (context: FaultContext, bind: boolean) => {
    const probe = await BrokerProbe.open(context.infrastructure.rabbitmq.url(context.platform.shape.vhost));
    try {
      const channel = await probe.channel();
      if (bind) await channel.assertQueue(HOLD_QUEUE, { durable: true });
      // Unbind before binding the other queue: in between a reply is unroutable and the relay retries it,
      // where bound to both it would be delivered twice.
      for (const key of replyKeys) {
        if (bind) {
          await channel.unbindQueue('order.events', 'events', key);
          await channel.bindQueue(HOLD_QUEUE, 'events', key);
        } else {
          await channel.unbindQueue(HOLD_QUEUE, 'events', key);
          await channel.bindQueue('order.events', 'events', key);
        }
      }
      await channel.close();
    } finally {
      await probe.close();
    }
  };
  return {
    name: 'late-shuffled-replies',
    summary: 'replies to the saga held 8 s (step timeout 3 s), then delivered late and shuffled',
    shape: { environment: { order: { SAGA_STEP_TIMEOUT_MS: String(STEP_TIMEOUT_MS) } } },
    holdMs: 8_000,
    async inject(context) {
      held = 0;
      await rebind(context, true);
      context.progress(`replies to order-service held in ${HOLD_QUEUE}`);
    },
    async restore(context) {
      await rebind(context, false);
      const probe = await BrokerProbe.open(context.infrastructure.rabbitmq.url(context.platform.shape.vhost));
      try {
        const replies = shuffled(await probe.drain(HOLD_QUEUE));
        for (const reply of replies) await republish(probe, reply);
        held = replies.length;
        await probe.deleteQueue(HOLD_QUEUE);
      } finally {
        await probe.close();
      }
      const [row] = await context.infrastructure.postgres.query<{ count: string }>(
        DATABASES.order,
        `SELECT count(*) FROM orders WHERE customer_id LIKE $1 AND cancellation_reason = 'TIMEOUT'`,
        [`${context.tag}-%`],
      );
      timedOut = Number(row.count);
      context.progress(`${held} held replies delivered shuffled; ${timedOut} orders had timed out meanwhile`);
    },
    async verify() {
      if (held === 0) return 'no reply was held';
      return timedOut === 0 ? 'no order timed out, so no reply came late' : undefined;
    },
  };
}

function republish(probe: BrokerProbe, message: GetMessage): Promise<string> {
  const { messageId, type, correlationId, timestamp, contentType, headers } = message.properties;
  return probe.publish('events', message.fields.routingKey, message.content, {
    messageId,
    type,
    correlationId,
    timestamp,
    contentType,
    headers,
  });
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}
