/**
 * eventLoopLookup against a small DNS server on a local UDP port: it answers A records, NXDOMAIN, or
 * nothing at all, like a DNS server of a container network that is being torn down.
 */
import { createSocket, Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LookupAddress } from 'node:dns';
import { AddressInfo } from 'node:net';
import { eventLoopLookup, LookupFunction } from '../src/event-loop-lookup';

type Behaviour = { answer: Record<string, string>; silent: boolean };

/** Answers an A query for a name of `answer`, NXDOMAIN for any other name, nothing while `silent`. */
async function dnsServer(
  behaviour: Behaviour,
): Promise<{ socket: Socket; address: string; queries: string[] }> {
  const socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (query, peer) => {
    const labels: string[] = [];
    let offset = 12;
    while (query[offset] !== 0) {
      labels.push(query.subarray(offset + 1, offset + 1 + query[offset]).toString('ascii'));
      offset += query[offset] + 1;
    }
    const name = labels.join('.');
    const type = query.readUInt16BE(offset + 1);
    queries.push(`${name}/${type === 1 ? 'A' : type === 28 ? 'AAAA' : type}`);
    if (behaviour.silent) return;
    const question = query.subarray(12, offset + 5);
    const ip = behaviour.answer[name];
    const header = Buffer.alloc(12);
    query.copy(header, 0, 0, 2);
    header.writeUInt16BE(ip === undefined ? 0x8183 : 0x8180, 2); // response, recursion available; 3 = NXDOMAIN
    header.writeUInt16BE(1, 4);
    const withAnswer = ip !== undefined && type === 1;
    header.writeUInt16BE(withAnswer ? 1 : 0, 6);
    const answer = withAnswer
      ? Buffer.concat([
          Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]),
          Buffer.from(ip.split('.').map(Number)),
        ])
      : Buffer.alloc(0);
    socket.send(Buffer.concat([header, question, answer]), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, address: `127.0.0.1:${(socket.address() as AddressInfo).port}`, queries };
}

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

/** A hosts file of these lines in a temporary folder. */
function hostsFile(lines: string[]): string {
  const folder = mkdtempSync(join(tmpdir(), 'hosts-'));
  folders.push(folder);
  const path = join(folder, 'hosts');
  writeFileSync(path, lines.join('\n'));
  return path;
}

function lookupAll(lookup: LookupFunction, hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) =>
    lookup(hostname, { all: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses as LookupAddress[]),
    ),
  );
}

function lookupOne(lookup: LookupFunction, hostname: string): Promise<[string, number | undefined]> {
  return new Promise((resolve, reject) =>
    lookup(hostname, {}, (error, address, family) =>
      error ? reject(error) : resolve([address as string, family]),
    ),
  );
}

describe('eventLoopLookup', () => {
  const behaviour: Behaviour = { answer: { 'otel-collector.test': '10.1.2.3' }, silent: false };
  let server: Awaited<ReturnType<typeof dnsServer>>;
  let lookup: LookupFunction;

  beforeAll(async () => {
    server = await dnsServer(behaviour);
    lookup = eventLoopLookup({ servers: [server.address], timeoutMs: 200, tries: 1 });
  });
  afterAll(() => server.socket.close());
  beforeEach(() => {
    behaviour.silent = false;
    server.queries.length = 0;
  });

  it('answers from DNS, one address or all of them as net asks', async () => {
    expect(await lookupAll(lookup, 'otel-collector.test')).toEqual([{ address: '10.1.2.3', family: 4 }]);
    expect(await lookupOne(lookup, 'otel-collector.test')).toEqual(['10.1.2.3', 4]);
    expect(server.queries).toContain('otel-collector.test/A');
  });

  it('asks only for the family net wants', async () => {
    const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
      lookup('otel-collector.test', { all: true, family: 4 }, (error, found) =>
        error ? reject(error) : resolve(found as LookupAddress[]),
      ),
    );
    expect(addresses).toEqual([{ address: '10.1.2.3', family: 4 }]);
    expect(server.queries).toEqual(['otel-collector.test/A']);
  });

  it('passes an IP address through without asking anyone', async () => {
    expect(await lookupOne(lookup, '192.0.2.7')).toEqual(['192.0.2.7', 4]);
    expect(await lookupAll(lookup, '::1')).toEqual([{ address: '::1', family: 6 }]);
    expect(server.queries).toEqual([]);
  });

  it('answers names of the hosts file from it, without DNS, even when DNS is silent (a collector on localhost)', async () => {
    behaviour.silent = true;
    const withHosts = eventLoopLookup({
      servers: [server.address],
      timeoutMs: 200,
      tries: 1,
      hostsFile: hostsFile([
        '127.0.0.1 localhost',
        '::1 localhost ip6-localhost',
        '# 10.9.9.9 commented',
        '10.0.0.5 Collector.Local collector',
      ]),
    });
    expect(await lookupAll(withHosts, 'localhost')).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    expect(await lookupOne(withHosts, 'collector.local')).toEqual(['10.0.0.5', 4]);
    expect(await lookupOne(withHosts, 'collector')).toEqual(['10.0.0.5', 4]);
    expect(server.queries).toEqual([]);
    await expect(lookupOne(withHosts, 'commented')).rejects.toMatchObject({ code: 'ETIMEOUT' });
  });

  it('still finds, through the system lookup, a name DNS does not hold and the hosts file it was given lacks', async () => {
    const noHosts = eventLoopLookup({
      servers: [server.address],
      timeoutMs: 200,
      tries: 1,
      hostsFile: hostsFile([]),
    });
    const addresses = await lookupAll(noHosts, 'localhost');
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.every(({ address }) => address === '127.0.0.1' || address === '::1')).toBe(true);
    expect(server.queries).toEqual(expect.arrayContaining(['localhost/A']));
  });

  it('fails with ENOTFOUND, naming the host, for a name neither DNS nor /etc/hosts holds', async () => {
    await expect(lookupOne(lookup, 'no-such-host.invalid')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('gives up on a DNS server that never answers within its timeout, with nothing left on the thread pool', async () => {
    behaviour.silent = true;
    const started = Date.now();
    const failed = lookupOne(lookup, 'otel-collector.test').catch((error: NodeJS.ErrnoException) => error);
    // getaddrinfo would be a GetAddrInfoReqWrap on libuv's thread pool, which process.exit waits for.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(process.getActiveResourcesInfo()).not.toContain('GetAddrInfoReqWrap');
    const error = (await failed) as NodeJS.ErrnoException & { hostname?: string };
    expect(error).toMatchObject({ code: 'ETIMEOUT', hostname: 'otel-collector.test' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.queries.length).toBeGreaterThan(0);
  });
});
