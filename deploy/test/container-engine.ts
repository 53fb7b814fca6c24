/**
 * Which container engine and which Compose the `docker` CLI reaches: Docker Engine with the Compose v2
 * plugin, or Podman's Docker API with docker-compose 1.29 behind a `docker compose` shim (compose-local).
 * The test runs the same commands on both; what differs is written in the spec's header.
 */
import { CommandRunner } from './command-runner';

export interface ContainerEngine {
  /** e.g. `Docker Engine 28.2.2` or `Podman Engine 4.3.1`. */
  engine: string;
  /** The Compose version, e.g. `2.36.2`, or `1.29.2` behind the compose-local shim. */
  composeVersion: string;
}

interface ServerVersion {
  Server?: { Version?: string; Components?: Array<{ Name?: string; Version?: string }> } | null;
}

/** Asks the docker CLI; fails with what to install or start when either part is missing. */
export function detectContainerEngine(runner: CommandRunner): ContainerEngine {
  const compose = runner.run('docker', ['compose', 'version', '--short'], { allowFail: true });
  if (compose.status !== 0) {
    throw new Error(
      '`docker compose` is not available (' +
        `${compose.output.trim().split('\n')[0] || 'no output'}): install Docker Engine with the Compose v2 ` +
        'plugin, or a `docker compose` CLI plugin for another engine',
    );
  }
  const composeVersion = compose.stdout.trim().replace(/^v/, '');
  if (!/^\d+\.\d+/.test(composeVersion)) {
    throw new Error(`docker compose version --short printed "${composeVersion}": not a version`);
  }
  const server = runner.run('docker', ['version', '--format', 'json'], { allowFail: true });
  let parsed: ServerVersion = {};
  try {
    parsed = JSON.parse(server.stdout) as ServerVersion;
  } catch {
    // Reported below: no server part.
  }
  if (server.status !== 0 || !parsed.Server) {
    const why = server.output.trim().split('\n').slice(-1)[0] || 'no answer';
    throw new Error(`the docker CLI reaches no container engine (${why}): start the engine first`);
  }
  // Podman lists a `Podman Engine` component (and an `Engine` one for the API); Docker an `Engine` only.
  const components = parsed.Server.Components ?? [];
  const podman = components.find((component) => component.Name === 'Podman Engine');
  const docker = components.find((component) => component.Name === 'Engine');
  const name = podman ? 'Podman Engine' : docker ? 'Docker Engine' : 'engine';
  return {
    engine: `${name} ${(podman ?? docker)?.Version ?? parsed.Server.Version ?? '(version unknown)'}`,
    composeVersion,
  };
}
