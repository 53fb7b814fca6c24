import { Injectable } from '@nestjs/common';
import { ConsumerConnection } from './broker/consumer-connection';
import { PublisherConnection } from './broker/publisher-connection';
import { OutboxRelay } from './outbox/outbox-relay';

/** Why messaging cannot do its work right now; empty when it can. */
export type MessagingProblems = string[];

/**
 * Readiness of messaging: both connections up, and the outbox relay publishing. A relay that cannot publish
 * (a stale connection, a broker blocking publishers for longer than OUTBOX_STALL_TIMEOUT_MS) is reported, not
 * hidden behind a healthy connection.
 */
@Injectable()
export class MessagingHealth {
  constructor(
    private readonly publisher: PublisherConnection,
    private readonly consumer: ConsumerConnection,
    private readonly relay: OutboxRelay,
  ) {}

  problems(): MessagingProblems {
    const problems: MessagingProblems = [];
    if (!this.consumer.isReady) problems.push('not connected to RabbitMQ for consuming');
    if (!this.publisher.isReady) problems.push('not connected to RabbitMQ for publishing');
    const relay = this.relay.state;
    if (relay.stalled) problems.push(relay.reason ?? 'the outbox relay cannot publish');
    return problems;
  }
}
