import { execFile, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';

const postgresRestart = () => [
  '--skip-systemctl-redirect',
  readdirSync('/etc/postgresql')[0],
  'main',
  'restart',
  '-m',
  'immediate',
];

/** One of rabbitmqctl's `list_*` commands on a vhost, as rows of the columns asked for. */
function listOf<T>(vhost: string, command: string, ...columns: string[]): T[] {
  const output = execFileSync(
    'rabbitmqctl',
    ['-q', '-p', vhost, command, ...columns, '--formatter', 'json'],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(output) as T[];
}

/**
 * Stops and starts this machine's own RabbitMQ and PostgreSQL for fault tests. Each `restore` is safe to call
 * in a `finally`, so a failed test never leaves the infrastructure down for the next one.
 */
export const infrastructure = {
  stopRabbitmq(): void {
    execFileSync('rabbitmqctl', ['-q', 'stop_app'], { stdio: 'ignore' });
  },
  startRabbitmq(): void {
    execFileSync('rabbitmqctl', ['-q', 'start_app'], { stdio: 'ignore' });
    execFileSync('rabbitmqctl', ['-q', 'await_startup'], { stdio: 'ignore' });
  },
  closeRabbitmqConnections(): void {
    execFileSync('rabbitmqctl', ['-q', 'close_all_connections', 'fault test'], { stdio: 'ignore' });
  },
  /** A memory alarm: RabbitMQ blocks every publishing connection until the watermark is restored. */
  blockPublishers(): void {
    execFileSync('rabbitmqctl', ['-q', 'set_vm_memory_high_watermark', '0'], { stdio: 'ignore' });
  },
  unblockPublishers(): void {
    execFileSync('rabbitmqctl', ['-q', 'set_vm_memory_high_watermark', '0.4'], { stdio: 'ignore' });
  },
  /** A new, empty vhost on the machine's RabbitMQ (a fresh broker, as far as the services can tell). */
  createVhost(name: string): void {
    execFileSync('rabbitmqctl', ['-q', 'add_vhost', name], { stdio: 'ignore' });
    execFileSync('rabbitmqctl', ['-q', 'set_permissions', '-p', name, 'guest', '.*', '.*', '.*'], {
      stdio: 'ignore',
    });
  },
  /**
   * A broker user with every right on `vhost` only (made again if it exists): a service's own login, as in
   * compose, to test what RabbitMQ's user-id validation and the consumers' sender check make of it.
   */
  addBrokerUser(name: string, password: string, vhost: string): void {
    try {
      execFileSync('rabbitmqctl', ['-q', 'add_user', name, password], { stdio: 'ignore' });
    } catch {
      execFileSync('rabbitmqctl', ['-q', 'change_password', name, password], { stdio: 'ignore' });
    }
    execFileSync('rabbitmqctl', ['-q', 'set_permissions', '-p', vhost, name, '.*', '.*', '.*'], {
      stdio: 'ignore',
    });
  },
  /** Replaces a broker user's permissions on `vhost`, and its topic permissions there when given. */
  setBrokerPermissions(
    vhost: string,
    user: string,
    permission: { configure: string; write: string; read: string },
    topic?: { exchange: string; write: string; read: string },
  ): void {
    const run = (...args: string[]) => execFileSync('rabbitmqctl', ['-q', ...args], { stdio: 'ignore' });
    run('set_permissions', '-p', vhost, user, permission.configure, permission.write, permission.read);
    if (topic) run('set_topic_permissions', '-p', vhost, user, topic.exchange, topic.write, topic.read);
  },
  deleteBrokerUser(name: string): void {
    execFileSync('rabbitmqctl', ['-q', 'delete_user', name], { stdio: 'ignore' });
  },
  deleteVhost(name: string): void {
    execFileSync('rabbitmqctl', ['-q', 'delete_vhost', name], { stdio: 'ignore' });
  },
  /** Every queue of a vhost with its effective policy. */
  queues(vhost = '/'): Array<{ name: string; policy: string }> {
    return listOf(vhost, 'list_queues', 'name', 'policy');
  },
  /** Every binding of a vhost from an exchange to a queue, as `exchange -> queue : key`. */
  bindings(vhost = '/'): string[] {
    return listOf<{ source_name: string; destination_name: string; routing_key: string }>(
      vhost,
      'list_bindings',
      'source_name',
      'destination_name',
      'routing_key',
    )
      .filter((row) => row.source_name !== '')
      .map((row) => `${row.source_name} -> ${row.destination_name} : ${row.routing_key}`);
  },
  /** Ready and unacknowledged messages of a queue, as RabbitMQ itself counts them. */
  queueCounts(queue: string, vhost = '/'): { ready: number; unacked: number } {
    const rows = listOf<{ name: string; messages_ready: number; messages_unacknowledged: number }>(
      vhost,
      'list_queues',
      'name',
      'messages_ready',
      'messages_unacknowledged',
    );
    const row = rows.find((candidate) => candidate.name === queue);
    if (!row) throw new Error(`no queue ${queue} on vhost ${vhost}`);
    return { ready: row.messages_ready, unacked: row.messages_unacknowledged };
  },
  /** Immediate-mode restart: the server drops every connection without waiting, as in a crash. */
  restartPostgres(): void {
    execFileSync('pg_ctlcluster', postgresRestart(), { stdio: 'ignore' });
  },
  /** The same restart without blocking the test's event loop, so its requests keep flowing meanwhile. */
  async restartPostgresInBackground(): Promise<void> {
    await promisify(execFile)('pg_ctlcluster', postgresRestart());
  },
};
