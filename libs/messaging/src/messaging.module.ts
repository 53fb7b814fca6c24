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
import { MessageType } from '@platform/contracts';
import { BrokerConnection } from './broker/broker-connection';
import { declareTopology } from './broker/declare-topology';
import { serviceTopology, ServiceTopology } from './broker/topology';
import { MessageConsumer } from './consumer/message-consumer';
import { MessageDispatcher } from './consumer/message-dispatcher';
import { countPendingOutboxWith } from './messaging.metrics';
import { OutboxRelay } from './outbox/outbox-relay';
import { MessagingRetention } from './outbox/retention';
import { InboxStore } from './persistence/inbox.store';
import { OutboxStore } from './persistence/outbox.store';
import { UnitOfWork } from './unit-of-work';

/** What a service consumes from other services: listed once, in the service's module. */
export interface MessagingOptions {
  /** Remote commands this service executes (handled with @CommandHandler). */
  commands?: MessageType[];
  /** Remote events this service reacts to (handled with @EventsHandler). */
  events?: MessageType[];
}

const TOPOLOGY = Symbol('ServiceTopology');
const HANDLED = Symbol('HandledMessages');

/**
 * Bridges @nestjs/cqrs to RabbitMQ for one service: declares its topology, consumes its queues through the
 * inbox into ordinary command and event handlers, and publishes what the handlers record in the outbox.
 * Starts after the application has bootstrapped; on shutdown it stops consuming, lets in-flight deliveries
 * finish, drains the relay's batch, then closes the connection.
 */
@Global()
@Module({})
export class MessagingModule
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    private readonly broker: BrokerConnection,
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
    return {
      module: MessagingModule,
      imports: [CqrsModule, DiscoveryModule],
      providers: [
        {
          provide: BrokerConnection,
          inject: [ServiceConfig],
          useFactory: (config: ServiceConfig) =>
            new BrokerConnection(config.rabbitmqUrl, `${config.service}-service ${process.pid}`),
        },
        {
          provide: TOPOLOGY,
          inject: [ServiceConfig],
          useFactory: (config: ServiceConfig) =>
            serviceTopology(config.service, handled, {
              baseMs: config.messaging.retryBaseMs,
              maxAttempts: config.messaging.maxAttempts,
            }),
        },
        { provide: HANDLED, useValue: handled },
        OutboxStore,
        InboxStore,
        OutboxRelay,
        MessageDispatcher,
        MessageConsumer,
        MessagingRetention,
        UnitOfWork,
      ],
      exports: [UnitOfWork, BrokerConnection, OutboxRelay],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    countPendingOutboxWith(() => this.outbox.countPending());
    await this.broker.onConnected((connection) =>
      declareTopology(connection, this.topology, this.config.messaging.deliveryLimit),
    );
    await this.consumer.start(this.topology, this.handled);
    await this.relay.start();
    this.retention.start();
    this.broker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop(this.config.shutdownTimeoutMs);
    await this.relay.stop();
    await this.retention.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.broker.stop();
  }
}
