import { metricsRegistry } from '@platform/observability';
import { Counter, Gauge, Histogram } from 'prom-client';

let countPending: () => Promise<number> = async () => 0;

/** Tells the `outbox_pending_messages` gauge how to count, read at each scrape. */
export function countPendingOutboxWith(counter: () => Promise<number>): void {
  countPending = counter;
}

/** The messaging metrics of SPEC section 5, registered once per process. */
export const messagingMetrics = {
  outboxPending: new Gauge({
    name: 'outbox_pending_messages',
    help: 'Outbox rows written but not yet published',
    registers: [metricsRegistry],
    async collect() {
      this.set(await countPending().catch(() => Number.NaN));
    },
  }),
  outboxLag: new Histogram({
    name: 'outbox_publish_lag_seconds',
    help: 'Time from writing an outbox row to its confirmed publish',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [metricsRegistry],
  }),
  outboxPublished: new Counter({
    name: 'outbox_published_total',
    help: 'Outbox rows published with a broker confirm',
    registers: [metricsRegistry],
  }),
  consumed: new Counter({
    name: 'messages_consumed_total',
    help: 'Deliveries taken from a queue, by outcome: handled, duplicate, retried, dead_lettered',
    labelNames: ['queue', 'type', 'outcome'] as const,
    registers: [metricsRegistry],
  }),
  decoded: new Counter({
    name: 'messages_decoded_total',
    help: 'Deliveries that passed the boundary checks, by the schema version they were sent in (before upcasting)',
    labelNames: ['queue', 'type', 'version'] as const,
    registers: [metricsRegistry],
  }),
  inFlight: new Gauge({
    name: 'messages_in_flight',
    help: 'Deliveries taken from a queue and not yet acked, handed on or given back',
    labelNames: ['queue'] as const,
    registers: [metricsRegistry],
  }),
  consumers: new Gauge({
    name: 'messaging_consumers',
    help: 'Consumers this process runs on each of its work queues: 1 while subscribed, 0 while it is not',
    labelNames: ['queue'] as const,
    registers: [metricsRegistry],
  }),
  handlingDuration: new Histogram({
    name: 'message_handling_duration_seconds',
    help: 'Time to handle one delivery, from receipt to commit',
    labelNames: ['queue', 'type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metricsRegistry],
  }),
  batchSize: new Histogram({
    name: 'messages_per_transaction',
    help: 'Deliveries handled in one consumer transaction: more than one only when they arrived while one ran',
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [metricsRegistry],
  }),
  criticalTime: new Histogram({
    name: 'message_critical_time_seconds',
    help:
      'Time from a message being recorded by its sender (its AMQP timestamp, whole seconds) to its handling ' +
      'committing here: outbox, broker and queue wait together',
    labelNames: ['queue', 'type'] as const,
    buckets: [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [metricsRegistry],
  }),
  deadLettered: new Counter({
    name: 'messages_dead_lettered_total',
    help: 'Messages parked in the dead-letter queue, by reason',
    labelNames: ['queue', 'reason'] as const,
    registers: [metricsRegistry],
  }),
};
