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
  /**
   * `<service>.direct`: routes by queue name to the service's own DLQ and work queues, so parking a message and
   * replaying it need no write right on the default exchange (which reaches every queue).
   */
  ownExchange: string;
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
export function workQueueArguments(
  topology: Pick<ServiceTopology, 'deadLetterQueue' | 'ownExchange'>,
): Record<string, unknown> {
  return {
    'x-queue-type': 'quorum',
    // At-least-once dead-lettering: a message leaves the queue only once the DLQ has confirmed it, which
    // RabbitMQ allows only with reject-publish overflow.
    'x-overflow': 'reject-publish',
    'x-dead-letter-strategy': 'at-least-once',
    // Through the service's own exchange: declaring a queue needs write access to its dead-letter exchange,
    // and the default exchange would give write access to every queue.
    'x-dead-letter-exchange': topology.ownExchange,
    'x-dead-letter-routing-key': topology.deadLetterQueue,
  };
}

/**
 * Arguments of a retry queue: it holds a failed message for its delay, then dead-letters it (at least once)
 * through the service's own exchange with the routing key the retry publisher set, the name of the work queue
 * it failed on. The delay is in the queue's name too, so its arguments never change.
 */
export function retryQueueArguments(delayMs: number, ownExchange: string): Record<string, unknown> {
  return {
    'x-queue-type': 'quorum',
    'x-overflow': 'reject-publish',
    'x-dead-letter-strategy': 'at-least-once',
    'x-message-ttl': delayMs,
    'x-dead-letter-exchange': ownExchange,
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
    ownExchange: `${service}.direct`,
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

/** A service's rights on its RabbitMQ virtual host (RabbitMQ definitions format, regular expressions). */
export interface BrokerPermission {
  user: string;
  vhost: string;
  configure: string;
  write: string;
  read: string;
}

/** What a service may publish on a topic exchange, by routing key. */
export interface TopicPermission {
  user: string;
  vhost: string;
  exchange: string;
  write: string;
  read: string;
}

/**
 * Least privilege per service, from the contracts (who sends what) and the registry (who consumes what):
 * configure only its own `<service>.*` queues and exchanges (never the shared exchanges); read its own queues
 * and bind them to the shared exchanges; write to its own exchanges, to `commands` only if it sends commands,
 * and to `events` with (topic permission) only its own `<service>.*` routing keys. No right on the default
 * exchange. `userOf` names each service's broker user.
 */
export function brokerPermissions(
  registry: Readonly<Record<string, Consumption>>,
  userOf: (service: string) => string,
  vhost = '/',
): { permissions: BrokerPermission[]; topicPermissions: TopicPermission[] } {
  const types = Object.values(registry).flatMap((consumption) => [
    ...(consumption.commands ?? []),
    ...(consumption.events ?? []),
  ]);
  const services = Object.keys(registry);
  const own = (service: string) => `${service.replace(/[^a-z0-9-]/g, '')}\\..*`;
  return {
    permissions: services.map((service) => {
      const sendsCommands = types.some((type) => type.sender === service && type.kind === 'command');
      // Every service may publish events (also ones nobody subscribes to yet); the topic permission below
      // limits it to its own routing keys.
      const writable = [own(service), ...(sendsCommands ? [COMMANDS_EXCHANGE] : []), EVENTS_EXCHANGE];
      return {
        user: userOf(service),
        vhost,
        configure: `^${own(service)}$`,
        write: `^(${writable.join('|')})$`,
        read: `^(${own(service)}|${COMMANDS_EXCHANGE}|${EVENTS_EXCHANGE})$`,
      };
    }),
    topicPermissions: services.map((service) => ({
      user: userOf(service),
      vhost,
      exchange: EVENTS_EXCHANGE,
      write: `^${service}\\.`,
      read: '.*',
    })),
  };
}
