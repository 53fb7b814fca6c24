import { BrokerConnection } from './broker-connection';

/**
 * The connection a service declares its topology and consumes on. It never publishes, so RabbitMQ never
 * blocks it: acks, cancels and declarations go on during a memory alarm.
 */
export class ConsumerConnection extends BrokerConnection {}
