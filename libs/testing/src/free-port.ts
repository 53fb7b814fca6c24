import { AddressInfo, createServer, Server } from 'node:net';

/**
 * A TCP port nothing listens on right now: the OS picks one (bind to port 0), it is read and released.
 * Unlike a random pick, it never lands on a port in use; another process could still take it before the
 * caller binds it, a much narrower window than a random pick colliding with a listener.
 */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port;
}

/** `count` distinct free ports, all held open together while they are picked so none comes twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => (server.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}
