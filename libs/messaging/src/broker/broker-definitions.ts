import {
  COMMANDS_EXCHANGE,
  deadLetterQueueArguments,
  deliveryLimitPolicy,
  EVENTS_EXCHANGE,
  ServiceTopology,
  workQueueArguments,
} from './topology';

/** The part of a RabbitMQ definitions file that describes the platform's topology. */
export interface TopologyDefinitions {
  exchanges: object[];
  queues: object[];
  bindings: object[];
  policies: object[];
}

/**
 * The system's exchanges, work and dead-letter queues, bindings and delivery-limit policy in RabbitMQ's
 * definitions format, so a broker can load them before any service starts (compose, Kubernetes) from the
 * same source the services declare from.
 */
export function brokerDefinitions(
  services: ServiceTopology[],
  deliveryLimit: number,
  vhost = '/',
): TopologyDefinitions {
  const exchange = (name: string, type: string) => ({
    name,
    vhost,
    type,
    durable: true,
    auto_delete: false,
    internal: false,
    arguments: {},
  });
  const queue = (name: string, args: Record<string, unknown>) => ({
    name,
    vhost,
    durable: true,
    auto_delete: false,
    arguments: args,
  });
  const policy = deliveryLimitPolicy(deliveryLimit);
  const binding = (source: string, destination: string, routingKey: string) => ({
    source,
    vhost,
    destination,
    destination_type: 'queue',
    routing_key: routingKey,
    arguments: {},
  });
  return {
    exchanges: [
      exchange(COMMANDS_EXCHANGE, 'direct'),
      exchange(EVENTS_EXCHANGE, 'topic'),
      ...services.map((service) => exchange(service.ownExchange, 'direct')),
    ],
    queues: services.flatMap((service) => [
      queue(service.deadLetterQueue, { ...deadLetterQueueArguments }),
      ...service.workQueues.map((work) => queue(work.name, workQueueArguments(service))),
    ]),
    bindings: services.flatMap((service) => [
      ...service.workQueues.flatMap((work) =>
        work.routingKeys.map((routingKey) => binding(work.exchange, work.name, routingKey)),
      ),
      ...[service.deadLetterQueue, ...service.workQueues.map((work) => work.name)].map((queue) =>
        binding(service.ownExchange, queue, queue),
      ),
    ]),
    policies: [
      {
        vhost,
        name: policy.name,
        pattern: policy.pattern,
        'apply-to': policy.applyTo,
        definition: policy.definition,
        priority: policy.priority,
      },
    ],
  };
}
