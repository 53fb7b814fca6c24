import { once } from 'node:events';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { coalesceWrites } from './coalesce-writes';

describe('coalescing writes to a socket', () => {
  let server: Server;
  let received: string;
  let client: Socket;
  /** The socket's own write calls: one per system call, with the chunks each carries. */
  let flushes: number[];

  beforeEach(async () => {
    received = '';
    flushes = [];
    server = createServer((peer) => peer.on('data', (data) => (received += data.toString())));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    client = new Socket();
    client.connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(client, 'connect');
    const internals = client as unknown as {
      _write: (...args: unknown[]) => void;
      _writev: (chunks: unknown[], ...rest: unknown[]) => void;
    };
    const single = internals._write.bind(client);
    const many = internals._writev.bind(client);
    internals._write = (...args) => (flushes.push(1), single(...args));
    internals._writev = (chunks, ...rest) => (flushes.push(chunks.length), many(chunks, ...rest));
    coalesceWrites(client);
  });
  afterEach(async () => {
    client.destroy();
    server.close();
    await once(server, 'close');
  });

  const arrived = async (text: string) => {
    const deadline = Date.now() + 2000;
    while (received !== text && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(received).toBe(text);
  };

  it('sends what one turn of the event loop writes in one system call, in order', async () => {
    client.write('publish-1|');
    client.write('publish-2|');
    client.write('ack-1|');
    expect(flushes).toEqual([]);
    await arrived('publish-1|publish-2|ack-1|');
    expect(flushes).toEqual([3]);
  });

  it('holds nothing past the turn that wrote it', async () => {
    client.write('first|');
    await arrived('first|');
    client.write('second|');
    await arrived('first|second|');
    expect(flushes).toEqual([1, 1]);
  });
});
