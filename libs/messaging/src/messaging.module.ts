import {
  BeforeApplicationShutdown,
  DynamicModule,
  Global,
  Inject,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { ServiceConfig } from '@platform/config';
import { Consumption, consumers, MessageType } from '@platform/contracts';
import { BrokerPublisher } from './broker/broker-publisher';
import { ConsumerConnection } from './broker/consumer-connection';
import { declareTopology } from './broker/declare-topology';
import { PublisherConnection } from './broker/publisher-connection';
import { routingKeysOf, serviceTopology, ServiceTopology, systemTopology } from './broker/topology';
import { MessageConsumer } from './consumer/message-consumer';
import { MessageDispatcher } from './consumer/message-dispatcher';
import { CrashPoints } from './faults/crash-points';
import { MessagingHealth } from './messaging-health';
import { countPendingOutboxWith } from './messaging.metrics';
import { OutboxRelay } from './outbox/outbox-relay';
import { MessagingRetention } from './outbox/retention';
import { DeliveryAttemptsStore } from './persistence/delivery-attempts.store';
import { InboxStore } from './persistence/inbox.store';
import { OutboxStore } from './persistence/outbox.store';
import { UnitOfWork } from './unit-of-work';

/** What a service consumes from other services: its entry of `consumers` in libs/contracts. */
export type MessagingOptions = Consumption;

const TOPOLOGY = Symbol('ServiceTopology');
const HANDLED = Symbol('HandledMessages');
/** Left of SHUTDOWN_TIMEOUT_MS for closing the connections and the database after messaging has stopped. */
const CLOSE_MARGIN_MS = 2500;

/**
 * Bridges @nestjs/cqrs to RabbitMQ for one service: declares the topology, consumes its queues through the
 * inbox into ordinary command and event handlers, and publishes what the handlers record in the outbox.
 * Consuming and publishing use separate connections, and the publishing one opens only once this process
 * has declared every queue it may publish to. On shutdown it stops consuming, lets in-flight deliveries
 * finish, drains the relay's batch, then closes the connections, all within SHUTDOWN_TIMEOUT_MS.
 */
@Global()
@Module({})
export class MessagingModule
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    private readonly publisherConnection: PublisherConnection,
    private readonly consumerConnection: ConsumerConnection,
    private readonly publisher: BrokerPublisher,
    private readonly relay: OutboxRelay,
    private readonly consumer: MessageConsumer,
    private readonly retention: MessagingRetention,
    private readonly outbox: OutboxStore,
    private readonly config: ServiceConfig,
    @Inject(TOPOLOGY) private readonly topology: ServiceTopology,
    @Inject(HANDLED) private readonly handled: MessageType[],
  ) {}

  static forService(options: MessagingOptions = {}): DynamicModule {
    const handled = [...(options.commands ?? []), ...(options.events ?? [])];
    const connectionName = (config: ServiceConfig, role: string) =>
      `${config.service}-service ${process.pid} ${role}`;
    return {
      module: MessagingModule,
      imports: [CqrsModule, DiscoveryModule],
      providers: [
        {
          provide: PublisherConnection,
          inject: [ServiceConfig],
          useFactory: (config: ServiceConfig) =>
            new PublisherConnection(config.rabbitmqUrls, connectionName(config, 'publisher')),
        },
        {
          provide: ConsumerConnection,
          inject: [ServiceConfig],
          useFactory: (config: ServiceConfig) =>
            new ConsumerConnection(config.rabbitmqUrls, connectionName(config, 'consumer')),
        },
        {
          provide: TOPOLOGY,
          inject: [ServiceConfig],
          useFactory: (config: ServiceConfig) => {
            assertListedInContracts(config.service, options);
            return serviceTopology(config.service, options, {
              baseMs: config.messaging.retryBaseMs,
              maxAttempts: config.messaging.maxAttempts,
            });
          },
        },
        { provide: HANDLED, useValue: handled },
        OutboxStore,
        InboxStore,
        DeliveryAttemptsStore,
        CrashPoints,
        BrokerPublisher,
        OutboxRelay,
        MessageDispatcher,
        MessageConsumer,
        MessagingRetention,
        MessagingHealth,
        UnitOfWork,
      ],
      exports: [UnitOfWork, OutboxRelay, MessagingHealth, PublisherConnection, ConsumerConnection],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    countPendingOutboxWith(() => this.outbox.countPending());
    const others = systemTopology(consumers).filter((other) => other.service !== this.topology.service);
    await this.consumerConnection.onConnected((connection) =>
      declareTopology(connection, this.topology, others),
    );
    await this.consumer.start(this.topology, this.handled);
    await this.publisher.start();
    await this.relay.start();
    this.retention.start();
    this.consumerConnection.once('ready', () => this.publisherConnection.start());
    this.consumerConnection.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const deadline = Date.now() + Math.max(0, this.config.shutdownTimeoutMs - CLOSE_MARGIN_MS);
    const left = () => Math.max(0, deadline - Date.now());
    await this.consumer.stop(left());
    await within(this.relay.stop(), left());
    await within(this.retention.stop(), left());
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.consumerConnection.stop(), this.publisherConnection.stop()]);
  }
}

/** A service's own list and the registry in libs/contracts must agree, or others would declare a different queue. */
function assertListedInContracts(service: string, own: Consumption): void {
  const listed = consumers[service];
  if (!listed) return;
  const [mine, theirs] = [routingKeysOf(own), routingKeysOf(listed)];
  if (mine.join() !== theirs.join()) {
    throw new Error(
      `${service}-service consumes ${mine.join(', ') || 'nothing'} but libs/contracts consumers lists ` +
        `${theirs.join(', ') || 'nothing'}: pass consumers.${service} to the service kit`,
    );
  }
}

/** Waits for `promise`, but no longer than `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
