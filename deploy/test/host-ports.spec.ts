import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandRunner } from './command-runner';
import { chooseHostPorts } from './host-ports';

describe('chooseHostPorts', () => {
  let folder: string;
  let runner: CommandRunner;
  let listener: Server;
  let takenPort: number;
  const requests = [
    { variable: 'ORDER_SERVICE_HOST_PORT', purpose: 'order-service HTTP' },
    { variable: 'POSTGRES_HOST_PORT', purpose: 'PostgreSQL' },
    { variable: 'RABBITMQ_HOST_PORT', purpose: 'RabbitMQ AMQP' },
  ];

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'host-ports-'));
    runner = new CommandRunner(folder, join(folder, 'commands.log'));
    listener = createServer();
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    takenPort = (listener.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await new Promise((resolve) => listener.close(resolve));
    rmSync(folder, { recursive: true, force: true });
  });

  it('picks a distinct free port for every variable that is not set', async () => {
    const ports = await chooseHostPorts(runner, requests, {});
    expect(Object.keys(ports)).toEqual(requests.map((request) => request.variable));
    expect(new Set(Object.values(ports)).size).toBe(requests.length);
    expect(Object.values(ports)).not.toContain(String(takenPort));
  });

  it('uses a pinned port that is free as it is', async () => {
    const [free] = Object.values(await chooseHostPorts(runner, requests.slice(0, 1), {}));
    const ports = await chooseHostPorts(runner, requests, { POSTGRES_HOST_PORT: free });
    expect(ports.POSTGRES_HOST_PORT).toBe(free);
    expect([ports.ORDER_SERVICE_HOST_PORT, ports.RABBITMQ_HOST_PORT]).not.toContain(free);
  });

  it('refuses a pinned port in use, naming the port, its holder and the variable to change', async () => {
    await expect(
      chooseHostPorts(runner, requests, { POSTGRES_HOST_PORT: String(takenPort) }),
    ).rejects.toThrow(
      new RegExp(
        // The holder comes from `ss`: this process where ss can tell, `another process` elsewhere.
        `POSTGRES_HOST_PORT=${takenPort} \\(PostgreSQL\\) is in use by ` +
          `(node \\(pid ${process.pid}\\)|another process): set POSTGRES_HOST_PORT to a free port`,
      ),
    );
  });

  it('refuses a pinned value that is not a port', async () => {
    await expect(chooseHostPorts(runner, requests, { RABBITMQ_HOST_PORT: '5672x' })).rejects.toThrow(
      'RABBITMQ_HOST_PORT=5672x is not a TCP port (RabbitMQ AMQP)',
    );
  });
});
