// The services of this repo and how to run one from the build output. Shared by the start scripts and tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Every service: each folder under apps/ with a service.json (libs/workspace reads the same manifests), in a
 * stable order (order first: it is the front door).
 */
export function serviceNames() {
  const names = readdirSync(join(root, 'apps')).filter(
    (name) => name.endsWith('-service') && existsSync(join(root, 'apps', name, 'service.json')),
  );
  return names.sort((a, b) => (a === 'order-service' ? -1 : b === 'order-service' ? 1 : a.localeCompare(b)));
}

export const entryOf = (name) => join(root, 'dist', 'apps', name, 'src', 'main.js');
export const tracingPreload = join(root, 'dist', 'libs', 'observability', 'src', 'tracing.js');

/**
 * Node's flags for every service process, from deploy/service-node-flags (the image's entrypoint and the
 * test harness read the same file): source maps for stack traces; a young generation of 8 MiB semi-spaces
 * (V8 sizes it from the machine's memory otherwise, which costs some 100 MB of resident memory per service on
 * a large host); and an old generation allowed to grow by 30 % of what survived the last full collection before
 * the next one, instead of up to 4 times, which keeps a busy service under 200 MB without a fixed heap cap
 * (docs/benchmarks.md).
 */
export const serviceNodeFlags = () =>
  readFileSync(join(root, 'deploy', 'service-node-flags'), 'utf8')
    .trim()
    .split(/\s+/);

/** node arguments that start one built service with tracing preloaded. */
export function nodeArgs(name) {
  return [...serviceNodeFlags(), '--require', tracingPreload, entryOf(name)];
}

const topologyCli = join(root, 'dist', 'libs', 'messaging', 'src', 'cli', 'topology.js');

export const isBuilt = (names) =>
  existsSync(tracingPreload) && existsSync(topologyCli) && names.every((name) => existsSync(entryOf(name)));

/**
 * Declares every queue and binding of the system (and the delivery-limit policy) before any service runs,
 * so no event can be published before all its subscribers' queues exist. A broker that is not up yet is no
 * reason not to start: the services wait for it and declare what they may themselves.
 */
export function applyTopology() {
  const result = spawnSync(process.execPath, [topologyCli, 'apply'], {
    cwd: root,
    stdio: 'inherit',
    timeout: 30_000,
  });
  if (result.status !== 0)
    console.warn('topology: not applied now; the services declare it once RabbitMQ answers');
}
