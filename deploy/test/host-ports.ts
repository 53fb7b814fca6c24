/**
 * The host ports the compose test publishes the stack on. A port pinned by its variable is used as it is
 * and must be free: the test never stops a server it did not start, it names the port, what holds it and
 * the variable to change. Every other port is a free one below the ephemeral range, so it is still free
 * when the stack comes up again after `down`.
 */
import { portIsFree, unusedStablePort } from '@platform/testing';
import { CommandRunner } from './command-runner';

/** One published port: the compose variable that sets it, and what it is for (in messages). */
export interface HostPortRequest {
  variable: string;
  purpose: string;
}

/** Who listens on a TCP port, from `ss` (e.g. `postgres (pid 123)`), or `another process` when unknown. */
function listenerOf(runner: CommandRunner, port: number): string {
  const out = runner.run('ss', ['-ltnpH', `( sport = :${port} )`], { allowFail: true }).stdout.trim();
  const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(out);
  if (!match) return 'another process';
  const container = ['conmon', 'docker-proxy', 'rootlessport'].includes(match[1]) ? ', a container' : '';
  // Node 24 names its main thread, and ss reports the thread's name: `MainThread` is a node process.
  const name = match[1] === 'MainThread' ? 'node' : match[1];
  return `${name} (pid ${match[2]}${container})`;
}

/**
 * A port for every request, as compose variables: the pinned value where the environment sets one, else a
 * free port. Throws, naming each pinned port that is taken, before anything is started.
 */
export async function chooseHostPorts(
  runner: CommandRunner,
  requests: HostPortRequest[],
  environment: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, string>> {
  const pinned = new Map<string, number>();
  const taken: string[] = [];
  for (const { variable, purpose } of requests) {
    const value = environment[variable];
    if (!value) continue;
    const port = Number(value);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`${variable}=${value} is not a TCP port (${purpose})`);
    }
    pinned.set(variable, port);
    if (!(await portIsFree(port))) {
      taken.push(
        `${variable}=${port} (${purpose}) is in use by ${listenerOf(runner, port)}: set ${variable} to a free ` +
          'port, or unset it and the test picks one',
      );
    }
  }
  if (taken.length > 0) {
    throw new Error(`host ports taken; the test stops nothing it did not start. ${taken.join('; ')}`);
  }
  const chosen: Record<string, string> = {};
  const used = new Set(pinned.values());
  for (const { variable } of requests) {
    let port = pinned.get(variable);
    while (port === undefined || (!pinned.has(variable) && used.has(port))) port = await unusedStablePort();
    used.add(port);
    chosen[variable] = String(port);
  }
  return chosen;
}
