import { BrokerConnection } from './broker-connection';

/**
 * The connection a service publishes on (outbox relay, retries, parking). RabbitMQ throttles or blocks a
 * publishing connection under flow control by no longer reading its socket, so nothing else shares it.
 */
export class PublisherConnection extends BrokerConnection {}
