/** DNS resolution for sockets that must not hold the process at exit (the trace exporter's). */
import { lookup as systemLookup, LookupAddress, LookupOptions, promises as dns } from 'node:dns';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

/** The shape of `lookup` that `net.connect` and `http.Agent` accept. */
export type LookupFunction = (
  hostname: string,
  options: LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

export interface EventLoopLookupOptions {
  /** How long one query waits for a DNS server (c-ares doubles it on each further try). */
  timeoutMs?: number;
  /** Tries per DNS server before the lookup fails. */
  tries?: number;
  /** DNS servers to ask instead of /etc/resolv.conf's (tests). */
  servers?: string[];
  /** The hosts file answered before DNS, as getaddrinfo does (tests). */
  hostsFile?: string;
}

/** What DNS answers for a name it does not hold; such names may still be in /etc/hosts. */
const UNKNOWN_NAME = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * A `lookup` for sockets that must never hold the process's exit: it asks DNS through c-ares, on the event
 * loop and bounded by `timeoutMs` and `tries`, instead of getaddrinfo on libuv's thread pool. Node waits for
 * the thread pool when it exits, so a getaddrinfo stuck on a DNS server that does not answer (as while a
 * container network is being torn down) holds even `process.exit` until the system resolver gives up, tens
 * of seconds later. Names in the hosts file (`localhost` among them) are answered from it first, as
 * getaddrinfo does, so a collector on localhost works without any DNS server. A name DNS does not hold
 * (ENOTFOUND, ENODATA) goes to the system's lookup after all, for whatever else the system resolves names
 * with; DNS has just answered, so that lookup does not hang.
 */
export function eventLoopLookup({
  timeoutMs = 1000,
  tries = 2,
  servers,
  hostsFile = '/etc/hosts',
}: EventLoopLookupOptions = {}): LookupFunction {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries });
  if (servers) resolver.setServers(servers);
  const hosts = readHostsFile(hostsFile);

  return (hostname, options, callback) => {
    const family = isIP(hostname);
    if (family !== 0) {
      return options.all ? callback(null, [{ address: hostname, family }]) : callback(null, hostname, family);
    }
    const wanted = familiesOf(options.family);
    const listed = (hosts.get(hostname.toLowerCase()) ?? []).filter((entry) =>
      wanted.includes(entry.family as 4 | 6),
    );
    if (listed.length > 0) {
      return options.all ? callback(null, listed) : callback(null, listed[0].address, listed[0].family);
    }
    void Promise.allSettled(
      wanted.map((version) =>
        (version === 4 ? resolver.resolve4(hostname) : resolver.resolve6(hostname)).then((addresses) =>
          addresses.map((address): LookupAddress => ({ address, family: version })),
        ),
      ),
    ).then((results) => {
      const found = results.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
      if (found.length > 0) {
        return options.all ? callback(null, found) : callback(null, found[0].address, found[0].family);
      }
      const errors = results.map(
        (result) => (result as PromiseRejectedResult).reason as NodeJS.ErrnoException,
      );
      if (errors.every((error) => UNKNOWN_NAME.has(error.code ?? ''))) {
        return systemLookup(hostname, { ...options, all: true }, (error, addresses) =>
          error || options.all
            ? callback(error, addresses)
            : callback(null, addresses[0].address, addresses[0].family),
        );
      }
      const failure = errors.find((error) => !UNKNOWN_NAME.has(error.code ?? '')) ?? errors[0];
      callback(Object.assign(failure, { hostname }), options.all ? [] : '', undefined);
    });
  };
}

function familiesOf(family: LookupOptions['family']): Array<4 | 6> {
  if (family === 4 || family === 'IPv4') return [4];
  if (family === 6 || family === 'IPv6') return [6];
  return [4, 6];
}

/** Name → addresses of a hosts file (`address name [alias ...]`, `#` comments); empty if it cannot be read. */
function readHostsFile(path: string): Map<string, LookupAddress[]> {
  const hosts = new Map<string, LookupAddress[]>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return hosts;
  }
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    const family = isIP(address ?? '');
    if (family === 0) continue;
    for (const name of names) {
      const key = name.toLowerCase();
      hosts.set(key, [...(hosts.get(key) ?? []), { address, family }]);
    }
  }
  return hosts;
}
