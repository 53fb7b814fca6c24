import { createServer } from 'node:net';
import { freePort, freePorts } from './free-port';

const listenOn = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });

describe('picking a free port for a test service', () => {
  it('gives a port that can be listened on at once', async () => {
    const port = await freePort();

    expect(port).toBeGreaterThan(0);
    await expect(listenOn(port)).resolves.toBeUndefined();
  });

  it('gives distinct ports when several are asked for together', async () => {
    const ports = await freePorts(8);

    expect(new Set(ports).size).toBe(8);
    await Promise.all(ports.map((port) => expect(listenOn(port)).resolves.toBeUndefined()));
  });
});
