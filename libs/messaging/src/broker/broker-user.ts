/**
 * The RabbitMQ user a connection URL logs in as (amqplib's default, `guest`, when it names none): what the
 * service's publishers put in `user-id`, which RabbitMQ refuses unless it is the connection's own user.
 */
export function brokerUserIn(url: string): string {
  try {
    return decodeURIComponent(new URL(url).username) || 'guest';
  } catch {
    return 'guest';
  }
}
