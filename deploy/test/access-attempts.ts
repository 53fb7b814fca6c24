/**
 * Attempts that a service's credentials must or must not be allowed, reduced to what the broker or the
 * database answered: `ok`, or its error code (RabbitMQ 403 ACCESS_REFUSED, PostgreSQL 42501).
 */
import { BrokerProbe, queryDatabase } from '@platform/testing';
import { Channel } from 'amqplib';

/** What one attempt got: `ok`, or the server's error code (or message, when it has none). */
export type Outcome = string;

const codeOf = (error: unknown): Outcome => {
  const { code, message } = error as { code?: unknown; message?: string };
  return code === undefined ? String(message ?? error) : String(code);
};

/** Runs one AMQP operation on a channel of its own (a refusal closes the channel, not the connection). */
export async function brokerAttempt(
  probe: BrokerProbe,
  operation: (channel: Channel) => Promise<unknown>,
): Promise<Outcome> {
  const channel = await probe.channel();
  try {
    await operation(channel);
    await channel.close().catch(() => undefined);
    return 'ok';
  } catch (error) {
    return codeOf(error);
  }
}

/**
 * Publishes one message as the probe's user on a confirm channel and waits for the confirm: `ok`, or the code
 * RabbitMQ closed the channel with (a refused publish is only reported that way, after the fact).
 */
export async function brokerPublishAttempt(
  probe: BrokerProbe,
  exchange: string,
  routingKey: string,
): Promise<Outcome> {
  try {
    await probe.publishAsIs(exchange, routingKey, '{}', { userId: probe.user });
    return 'ok';
  } catch (error) {
    const text = String((error as Error).message);
    return /ACCESS.REFUSED|403|channel closed/i.test(text) ? '403' : codeOf(error);
  }
}

/** Logs in to the broker and out again: `ok`, `ACCESS_REFUSED`, or what else went wrong. */
export async function brokerLogin(url: string): Promise<Outcome> {
  try {
    const probe = await BrokerProbe.open(url);
    await probe.close();
    return 'ok';
  } catch (error) {
    return /ACCESS.REFUSED/.test(String((error as Error).message)) ? 'ACCESS_REFUSED' : codeOf(error);
  }
}

/** Opens a database as a role: `ok <role>@<database>` as the server saw it, or the error code. */
export async function databaseLogin(url: string): Promise<Outcome> {
  try {
    const [row] = await queryDatabase<{ role: string; database: string }>(
      url,
      'SELECT current_user AS role, current_database() AS database',
    );
    return `ok ${row.role}@${row.database}`;
  } catch (error) {
    return codeOf(error);
  }
}

/** Runs one statement as a role: `ok`, or the error code (42501 for a right the role does not have). */
export async function databaseAttempt(url: string, sql: string): Promise<Outcome> {
  try {
    await queryDatabase(url, sql);
    return 'ok';
  } catch (error) {
    return codeOf(error);
  }
}
