import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { onProcessExit, sleepSync } from './exit-cleanup';
import { unusedStablePort } from './unused-port';
import { waitFor } from './wait-for';

const run = promisify(execFile);
const RABBITMQ_BIN = '/usr/lib/rabbitmq/bin';

/**
 * A throwaway RabbitMQ node of its own (name, ports, configuration, data and cookie under a temporary folder),
 * for fault tests that stop, alarm or cut a broker: the machine's own node is never touched. Every command goes
 * to this node by name (`rabbitmqctl -n`), and the node is killed and its folder removed however the run ends.
 */
export class PrivateRabbitmq {
  private readonly unregister: () => void;
  private exited = false;

  private constructor(
    readonly node: string,
    readonly port: number,
    private readonly directory: string,
    private readonly server: ChildProcess,
  ) {
    server.on('exit', () => (this.exited = true));
    this.unregister = onProcessExit(() => this.killNow());
  }

  /**
   * Starts a fresh node on free ports and waits until it accepts connections (about ten seconds). Nodes that
   * are to form a cluster are given the same Erlang `cookie`.
   */
  static async start({ cookie }: { cookie?: string } = {}): Promise<PrivateRabbitmq> {
    const directory = mkdtempSync(join(tmpdir(), 'private-rabbitmq-'));
    const [port, distributionPort] = [await unusedStablePort(), await unusedStablePort()];
    const node = `private-${randomBytes(3).toString('hex')}@localhost`;
    for (const folder of ['mnesia', 'log']) mkdirSync(join(directory, folder));
    // The machine's /etc/rabbitmq pins the listener, the node name and the plugins: this node has its own of each.
    writeFileSync(
      join(directory, 'rabbitmq.conf'),
      [`listeners.tcp.default = 127.0.0.1:${port}`, 'loopback_users = none', ''].join('\n'),
    );
    writeFileSync(join(directory, 'rabbitmq-env.conf'), '');
    writeFileSync(join(directory, 'enabled_plugins'), '[].\n');
    writeFileSync(join(directory, '.erlang.cookie'), cookie ?? randomBytes(16).toString('hex').toUpperCase());
    chmodSync(join(directory, '.erlang.cookie'), 0o400);
    execFileSync('chown', ['-R', 'rabbitmq:rabbitmq', directory]);
    const output = openSync(join(directory, 'log', 'server.out'), 'a');
    const server = spawn(
      'runuser',
      ['-u', 'rabbitmq', '--', 'env', ...envArguments(directory, node, distributionPort)],
      { cwd: directory, detached: true, stdio: ['ignore', output, output] },
    );
    const broker = new PrivateRabbitmq(node, port, directory, server);
    try {
      await waitFor(
        `RabbitMQ node ${node} to start`,
        async () => {
          if (broker.exited) throw new Error(`exited; see ${join(directory, 'log')}`);
          await broker.ctl(['await_startup', '--timeout', '5']);
          return true;
        },
        60_000,
        500,
      );
    } catch (error) {
      await broker.destroy();
      throw error;
    }
    return broker;
  }

  /** The AMQP URL of a virtual host on this node (`/` by default). */
  url(vhost = '/'): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}/${encodeURIComponent(vhost)}`;
  }

  /** Runs `rabbitmqctl -n <this node> -q <args>` as the rabbitmq user and returns its output. */
  async ctl(args: string[]): Promise<string> {
    const { stdout } = await run(
      'runuser',
      [
        '-u',
        'rabbitmq',
        '--',
        'env',
        `HOME=${this.directory}`,
        `RABBITMQ_CONF_ENV_FILE=${join(this.directory, 'rabbitmq-env.conf')}`,
        join(RABBITMQ_BIN, 'rabbitmqctl'),
        '-n',
        this.node,
        '-q',
        ...args,
      ],
      { cwd: this.directory, timeout: 60_000 },
    );
    return stdout;
  }

  /** Makes this (fresh) node a member of `other`'s cluster; both must have been started with one cookie. */
  async joinCluster(other: PrivateRabbitmq): Promise<void> {
    await this.ctl(['stop_app']);
    await this.ctl(['join_cluster', other.node]);
    await this.startApp();
  }

  /** `kill -9` of the whole node (no clean shutdown); its folder is removed. */
  kill(): void {
    this.killNow();
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Stops the RabbitMQ application (every connection drops, the Erlang node stays up). */
  async stopApp(): Promise<void> {
    await this.ctl(['stop_app']);
  }

  async startApp(): Promise<void> {
    await this.ctl(['start_app']);
    await this.ctl(['await_startup', '--timeout', '60']);
  }

  async closeAllConnections(reason: string): Promise<void> {
    await this.ctl(['close_all_connections', reason]);
  }

  /** A memory alarm blocks every publishing connection until it is cleared; consumers go on. */
  async setMemoryAlarm(on: boolean): Promise<void> {
    await this.ctl(['set_vm_memory_high_watermark', on ? '0' : '0.4']);
  }

  /** Creates a virtual host that guest may use fully: an empty broker beside the others on this node. */
  async addVhost(vhost: string): Promise<void> {
    await this.ctl(['add_vhost', vhost]);
    await this.ctl(['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
  }

  /** Messages (ready and unacknowledged) per queue of a virtual host. */
  async queueDepths(vhost = '/'): Promise<Map<string, number>> {
    const output = await this.ctl(['list_queues', '-p', vhost, 'name', 'messages', '--no-table-headers']);
    return new Map(
      output
        .split('\n')
        .map((line) => line.split('\t'))
        .filter((fields) => fields.length === 2)
        .map(([name, messages]) => [name, Number(messages)]),
    );
  }

  /** Stops the node and removes its folder. Safe to call twice. */
  async destroy(): Promise<void> {
    if (!this.exited) {
      await this.ctl(['stop']).catch(() => undefined);
      await waitFor(`${this.node} to exit`, () => this.exited, 15_000).catch(() => this.killNow());
    }
    this.killNow();
  }

  /** The synchronous path: kill the node's whole process group and remove its folder. */
  private killNow(): void {
    if (!this.exited && this.server.pid) {
      try {
        process.kill(-this.server.pid, 'SIGKILL');
        sleepSync(300);
      } catch {
        // Already gone.
      }
    }
    rmSync(this.directory, { recursive: true, force: true });
    this.unregister();
  }
}

function envArguments(directory: string, node: string, distributionPort: number): string[] {
  return [
    `HOME=${directory}`,
    `RABBITMQ_NODENAME=${node}`,
    `RABBITMQ_DIST_PORT=${distributionPort}`,
    `RABBITMQ_CONFIG_FILE=${join(directory, 'rabbitmq.conf')}`,
    `RABBITMQ_ADVANCED_CONFIG_FILE=${join(directory, 'advanced.config')}`,
    `RABBITMQ_CONF_ENV_FILE=${join(directory, 'rabbitmq-env.conf')}`,
    `RABBITMQ_ENABLED_PLUGINS_FILE=${join(directory, 'enabled_plugins')}`,
    `RABBITMQ_MNESIA_BASE=${join(directory, 'mnesia')}`,
    `RABBITMQ_LOG_BASE=${join(directory, 'log')}`,
    'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}',
    join(RABBITMQ_BIN, 'rabbitmq-server'),
  ];
}
