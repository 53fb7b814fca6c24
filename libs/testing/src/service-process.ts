import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { waitFor } from './wait-for';

/** The repository: the first folder above this file with a package.json (this file also runs built, from dist/). */
function findRepositoryRoot(): string {
  let folder = __dirname;
  while (!existsSync(join(folder, 'package.json')) && dirname(folder) !== folder) folder = dirname(folder);
  return folder;
}

/** The repository's root. */
export const repositoryRoot = findRepositoryRoot();
/** Where the built services are; TEST_DIST_DIR lets a developer test a build kept apart from `dist/`. */
export const distDir = process.env.TEST_DIST_DIR ?? join(repositoryRoot, 'dist');

/** Node's flags for every service process (deploy/service-node-flags, shared with the start scripts and the image). */
export function serviceNodeFlags(): string[] {
  return readFileSync(join(repositoryRoot, 'deploy', 'service-node-flags'), 'utf8')
    .trim()
    .split(/\s+/);
}

/** A built service running as its own process, as in production. */
export interface ServiceProcess {
  readonly name: string;
  readonly url: string;
  readonly logs: string[];
  readonly process: ChildProcess;
  /** Sends SIGTERM and waits for the exit: its code, or the signal that ended it. */
  stop(): Promise<number | string>;
  /** SIGKILL: no shutdown hooks, as in a crash. */
  kill(): Promise<void>;
  exited: Promise<number | string>;
}

/** Runs `dist/apps/<name>/src/main.js` with tracing preloaded, like `npm run start:<name>`. */
export function spawnService(name: string, env: Record<string, string>): ServiceProcess {
  return spawnScript(name, join(distDir, 'apps', name, 'src/main.js'), env);
}

/** Runs a built script as a service would run: tracing preloaded, output collected, listening on env.PORT. */
export function spawnScript(name: string, script: string, env: Record<string, string>): ServiceProcess {
  const child = spawn(
    process.execPath,
    [...serviceNodeFlags(), '--require', join(distDir, 'libs/observability/src/tracing.js'), script],
    {
      cwd: repositoryRoot,
      env: { ...process.env, OTEL_TRACES_EXPORTER: 'none', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | string>((resolve) =>
    // 'close' rather than 'exit': it comes after the output streams end, so `logs` is complete by then.
    child.on('close', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    name,
    url: `http://127.0.0.1:${env.PORT}`,
    logs,
    process: child,
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Spawns a service and waits until `/health/ready` answers 200; fails with its logs if it exits first. */
export function startService(
  name: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<ServiceProcess> {
  return untilAnswering(spawnService(name, env), '/health/ready', timeoutMs);
}

/**
 * Resolves to `service` once `path` answers 200. Fails as soon as the process exits, or after `timeoutMs`,
 * with the end of its output; the process is killed then.
 */
export async function untilAnswering(
  service: ServiceProcess,
  path: string,
  timeoutMs: number,
): Promise<ServiceProcess> {
  let exitCode: number | string | undefined;
  // An exit fails the start at once rather than after the whole timeout.
  const exitedEarly = service.exited.then((code) => {
    exitCode = code;
    throw new Error(`${service.name} exited with ${code}`);
  });
  exitedEarly.catch(() => undefined);
  try {
    await Promise.race([
      waitFor(
        `${service.name} to answer ${path}`,
        async () => {
          if (exitCode !== undefined) return true;
          const response = await fetch(`${service.url}${path}`).catch(() => undefined);
          return response?.status === 200;
        },
        timeoutMs,
      ),
      exitedEarly,
    ]);
    if (exitCode !== undefined) await exitedEarly;
  } catch (error) {
    await service.kill();
    throw new Error(
      `${(error as Error).message}\n--- ${service.name} logs ---\n${service.logs.slice(-40).join('\n')}`,
      { cause: error },
    );
  }
  return service;
}
