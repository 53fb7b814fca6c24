import { Consumption, MessageType } from '@platform/contracts';

/** The direct exchange commands go through, and the topic exchange of events (SPEC section 4). */
export const COMMANDS_EXCHANGE = 'commands';
export const EVENTS_EXCHANGE = 'events';

/** A queue a service consumes, bound to exactly the routing keys of the messages it handles. */
export interface WorkQueue {
  name: string;
  exchange: typeof COMMANDS_EXCHANGE | typeof EVENTS_EXCHANGE;
  routingKeys: string[];
}

/** Names of everything one service owns on the broker. */
export interface ServiceTopology {
  service: string;
  /** `<service>.commands` and/or `<service>.events`, only those that something is bound to. */
  workQueues: WorkQueue[];
  deadLetterQueue: string;
  /** Headers exchange that routes a failed message into the retry queue of its delay. */
  retryExchange: string;
  retryQueues: Array<{ name: string; delayMs: number }>;
}

/** Header naming the delay queue a retried message waits in. */
// Not x-prefixed: a headers exchange ignores x- headers when matching.
export const RETRY_DELAY_HEADER = 'retry-delay-ms';

/**
 * The arguments of a work queue. Only what never changes belongs here: RabbitMQ refuses (406) to redeclare
 * a queue with other arguments, so a tunable value in them would stop every service that has another one.
 * The delivery limit is tunable and lives in a policy (DELIVERY_LIMIT_POLICY).
 */
export function workQueueArguments(deadLetterQueue: string): Record<string, unknown> {
  return {
    'x-queue-type': 'quorum',
    // At-least-once dead-lettering: a message leaves the queue only once the DLQ has confirmed it, which
    // RabbitMQ allows only with reject-publish overflow.
    'x-overflow': 'reject-publish',
    'x-dead-letter-strategy': 'at-least-once',
    'x-dead-letter-exchange': '',
    'x-dead-letter-routing-key': deadLetterQueue,
  };
}

/**
 * Arguments of a retry queue: it holds a failed message for its delay, then dead-letters it (at least once)
 * through the default exchange with the routing key the retry publisher set, the name of the work queue it
 * failed on. The delay is in the queue's name too, so its arguments never change.
 */
export function retryQueueArguments(delayMs: number): Record<string, unknown> {
  return {
    'x-queue-type': 'quorum',
    'x-overflow': 'reject-publish',
    'x-dead-letter-strategy': 'at-least-once',
    'x-message-ttl': delayMs,
    'x-dead-letter-exchange': '',
  };
}

/** Arguments of a dead-letter queue: quorum, so parked messages survive a node like the rest. */
export const deadLetterQueueArguments = { 'x-queue-type': 'quorum' } as const;

/**
 * The policy that gives every work queue its delivery limit: RabbitMQ dead-letters a message into the
 * service's DLQ after that many failed deliveries, even if its handler crashes the process each time.
 */
export function deliveryLimitPolicy(deliveryLimit: number) {
  return {
    name: 'work-queue-delivery-limit',
    pattern: '^[a-z0-9-]+\\.(commands|events)$',
    applyTo: 'queues',
    priority: 0,
    definition: { 'delivery-limit': deliveryLimit },
  } as const;
}

/** The delivery limit the topology tools apply unless MESSAGING_DELIVERY_LIMIT says otherwise. */
export const DEFAULT_DELIVERY_LIMIT = 20;

/** Delays before attempt 2..maxAttempts: base, 2×base, 4×base... */
export function retryDelays(baseMs: number, maxAttempts: number): number[] {
  return Array.from({ length: Math.max(0, maxAttempts - 1) }, (_, index) => baseMs * 2 ** index);
}

/**
 * Derives what a service owns on the broker from the messages it consumes and its retry policy (retry
 * queues are private to the service, so other services' views of it leave them out).
 */
export function serviceTopology(
  service: string,
  consumption: Consumption,
  retry?: { baseMs: number; maxAttempts: number },
): ServiceTopology {
  const keys = (types: readonly MessageType[] = []) => types.map((type) => type.routingKey);
  const queues: WorkQueue[] = [
    { name: `${service}.commands`, exchange: COMMANDS_EXCHANGE, routingKeys: keys(consumption.commands) },
    { name: `${service}.events`, exchange: EVENTS_EXCHANGE, routingKeys: keys(consumption.events) },
  ];
  return {
    service,
    workQueues: queues.filter((queue) => queue.routingKeys.length > 0),
    deadLetterQueue: `${service}.dlq`,
    retryExchange: `${service}.retry`,
    retryQueues: retry
      ? retryDelays(retry.baseMs, retry.maxAttempts).map((delayMs) => ({
          name: `${service}.retry.${delayMs}`,
          delayMs,
        }))
      : [],
  };
}

/** Every service's topology as the registry in libs/contracts describes it (without retry queues). */
export function systemTopology(registry: Readonly<Record<string, Consumption>>): ServiceTopology[] {
  return Object.entries(registry).map(([service, consumption]) => serviceTopology(service, consumption));
}

/** The routing keys a consumption binds, for comparing a service's own list with the registry's. */
export function routingKeysOf(consumption: Consumption): string[] {
  return [...(consumption.commands ?? []), ...(consumption.events ?? [])]
    .map((type) => type.routingKey)
    .sort();
}
