import { Injectable, OnModuleInit } from '@nestjs/common';
import { ChargePayment, MessageType, ReserveStock } from '@platform/contracts';
import { OutboxRelay, PublishedMessage } from '@platform/messaging';
import { OrderConfig } from '../config';
import { SagaStep } from '../orders/domain/order';
import { OrderRepository } from '../orders/persistence/order.repository';

/**
 * Starts each saga step's deadline when its command leaves the outbox, not when it was recorded: an order
 * accepted while RabbitMQ is away must not time out the moment it is back, though nothing failed. The relay
 * calls it in the transaction that marks the command published.
 */
@Injectable()
export class StepClock implements OnModuleInit {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly orders: OrderRepository,
    private readonly config: OrderConfig,
  ) {}

  onModuleInit(): void {
    this.startOn(ReserveStock, 'RESERVING_STOCK');
    this.startOn(ChargePayment, 'CHARGING_PAYMENT');
  }

  private startOn(command: MessageType, step: SagaStep): void {
    this.relay.onPublished(command, (published: PublishedMessage[]) =>
      this.orders.startStepClocks(
        step,
        published.flatMap(({ correlationId, publishedAt }) =>
          correlationId ? [{ orderId: correlationId, at: publishedAt }] : [],
        ),
        this.config.sagaStepTimeoutMs,
      ),
    );
  }
}
