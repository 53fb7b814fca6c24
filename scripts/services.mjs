// The services of this repo and how to run one from the build output. Shared by the start scripts and tests.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every folder under apps/ that ends in -service, in a stable order (order first: it is the front door). */
export function serviceNames() {
  const names = readdirSync(join(root, 'apps')).filter((name) => name.endsWith('-service'));
  return names.sort((a, b) => (a === 'order-service' ? -1 : b === 'order-service' ? 1 : a.localeCompare(b)));
}

export const entryOf = (name) => join(root, 'dist', 'apps', name, 'src', 'main.js');
export const tracingPreload = join(root, 'dist', 'libs', 'observability', 'src', 'tracing.js');

/** node arguments that start one built service with tracing preloaded. */
export function nodeArgs(name) {
  return ['--enable-source-maps', '--require', tracingPreload, entryOf(name)];
}

export const isBuilt = (names) =>
  existsSync(tracingPreload) && names.every((name) => existsSync(entryOf(name)));
