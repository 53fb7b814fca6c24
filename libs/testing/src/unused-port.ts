import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * Ports for servers that a test stops and starts again on the same port (a broker node, a database, a service
 * under a restart policy). They are picked below the kernel's ephemeral range: a port from that range can be
 * taken meanwhile by the local end of some outgoing connection, and the restart then fails with EADDRINUSE.
 */
const FIRST_CANDIDATE = 20_000;
const handedOut = new Set<number>();

function ephemeralRangeStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    return Number(low) || 32_768;
  } catch {
    return 32_768;
  }
}

/** Nothing listens on `port` on any interface (a container engine publishes ports on all of them). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A port below the ephemeral range that nothing listens on (on any interface) and that this process has not
 * handed out before.
 */
export async function unusedStablePort(): Promise<number> {
  const end = ephemeralRangeStart();
  for (let tries = 0; tries < 500; tries++) {
    const port = FIRST_CANDIDATE + Math.floor(Math.random() * (end - FIRST_CANDIDATE));
    if (handedOut.has(port) || !(await portIsFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`no free port between ${FIRST_CANDIDATE} and ${end}`);
}
