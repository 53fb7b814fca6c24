import { createConnection, createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';

interface Link {
  client: Socket;
  server: Socket;
  /** The first bytes the client sent (an AMQP client names its connection there). */
  hello: string;
  silenced: boolean;
}

/**
 * A TCP proxy between the services and a real server, for faults a server cannot be asked to make: a peer
 * that goes silent (takes bytes, answers nothing, e.g. RabbitMQ that never confirms) or connections cut.
 */
export class TcpProxy {
  private readonly links = new Set<Link>();

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy: TcpProxy = new TcpProxy(
      createServer((client) => proxy.accept(client)),
      target,
    );
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `serverUrl` with host and port replaced by this proxy's. */
  urlFor(serverUrl: string): string {
    const url = new URL(serverUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /**
   * From now on, drops whatever the server sends on open connections whose client greeting contains
   * `clientHint` (e.g. an AMQP connection name); what the client sends still reaches the server.
   * Returns how many connections went silent. New connections are not affected.
   */
  silence(clientHint: string): number {
    let count = 0;
    for (const link of this.links) {
      if (link.hello.includes(clientHint)) {
        link.silenced = true;
        count += 1;
      }
    }
    return count;
  }

  /** Closes every open connection abruptly, as a network failure would. */
  cutAll(): void {
    for (const link of this.links) this.drop(link);
  }

  async stop(): Promise<void> {
    this.cutAll();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket): void {
    const server = createConnection(this.target);
    const link: Link = { client, server, hello: '', silenced: false };
    this.links.add(link);
    client.on('data', (chunk: Buffer) => {
      if (link.hello.length < 4096) link.hello += chunk.toString('latin1');
      server.write(chunk);
    });
    server.on('data', (chunk: Buffer) => {
      if (!link.silenced) client.write(chunk);
    });
    for (const socket of [client, server]) {
      socket.on('error', () => this.drop(link));
      socket.on('close', () => this.drop(link));
    }
  }

  private drop(link: Link): void {
    if (!this.links.delete(link)) return;
    link.client.destroy();
    link.server.destroy();
  }
}
