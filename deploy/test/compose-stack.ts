/**
 * The stack under test: docker-compose.yml started in a compose project of its own, on the host ports the
 * test chose, with the `docker compose` commands and container queries the checks need. Once started it is
 * taken down with `down -v` however the run ends (also on Ctrl-C), unless asked to keep it for debugging.
 */
import { onProcessExit, sleepSync } from '@platform/testing';
import { CommandRunner } from './command-runner';

const MINUTE = 60_000;

/** What `docker inspect` says about a container's state. */
export interface ContainerState {
  status: string;
  health: string;
  restarts: number;
  exitCode: number;
}

export class ComposeStack {
  private unregisterCleanup?: () => void;

  /**
   * @param services what `up` starts, by compose service name
   * @param variables COMPOSE_PROJECT_NAME is set from `project`; these are the host port variables
   */
  constructor(
    private readonly runner: CommandRunner,
    readonly project: string,
    private readonly services: string[],
    private readonly variables: Record<string, string>,
    private readonly keep: boolean,
  ) {
    // Compose v2 refuses other names; v1 would silently strip characters and name another project.
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(project)) {
      throw new Error(`compose project "${project}": lowercase letters, digits, _ and - only`);
    }
  }

  /** The host port published through a compose variable (e.g. `ORDER_SERVICE_HOST_PORT`). */
  hostPort(variable: string): number {
    const port = this.variables[variable];
    if (port === undefined) throw new Error(`no host port chosen for ${variable}`);
    return Number(port);
  }

  /** The compose services of docker-compose.yml (`docker compose config --services`). */
  declaredServices(): string[] {
    return this.compose(['config', '--services']).stdout.trim().split('\n').filter(Boolean);
  }

  /** Takes down what an interrupted earlier run of this project left, volumes included. */
  async removeLeftovers(): Promise<void> {
    await this.composeAsync(['down', '-v', '--remove-orphans'], { timeoutMs: 5 * MINUTE, allowFail: true });
  }

  /** `up -d [--build] --wait` of the services; from now on the stack is removed however the run ends. */
  async up({ build }: { build: boolean }): Promise<void> {
    this.unregisterCleanup ??= onProcessExit(() => {
      // An interrupted `up` or `stop` is given a moment to end before `down` removes what it made.
      if (this.runner.stopAll() > 0) sleepSync(2_000);
      this.removeNow();
    });
    const args = ['up', '-d', ...(build ? ['--build'] : []), '--wait', ...this.services];
    await this.composeAsync(args, { timeoutMs: (build ? 20 : 10) * MINUTE });
  }

  /** `docker compose stop`: SIGTERM to every container, SIGKILL after its grace period. Resolves to seconds. */
  async stop(): Promise<number> {
    const started = Date.now();
    await this.composeAsync(['stop'], { timeoutMs: 5 * MINUTE });
    return (Date.now() - started) / 1000;
  }

  /** `docker compose down`, keeping the named volumes. */
  async down(): Promise<void> {
    await this.composeAsync(['down'], { timeoutMs: 5 * MINUTE });
  }

  /** `down -v`, unless the stack is kept; the exit cleanup is then no longer needed. */
  async remove(): Promise<void> {
    this.unregisterCleanup?.();
    this.unregisterCleanup = undefined;
    if (this.keepsRunning()) return;
    await this.composeAsync(['down', '-v', '--remove-orphans'], { timeoutMs: 5 * MINUTE });
  }

  /** Container ids by compose service name, from the project's label (the same with Compose v1 and v2). */
  containers(): Record<string, string> {
    const out = this.runner.run('docker', [
      'ps',
      '-a',
      '--filter',
      `label=com.docker.compose.project=${this.project}`,
      '--format',
      '{{.ID}} {{.Label "com.docker.compose.service"}}',
    ]).stdout;
    const entries = out
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' '))
      .map(([id, service]) => [service, id]);
    return Object.fromEntries(entries);
  }

  /** The container of one compose service; the error lists the project's containers. */
  container(service: string): string {
    const containers = this.containers();
    const id = containers[service];
    if (!id) {
      const present = Object.keys(containers).join(', ') || 'none';
      throw new Error(`${service}: no container in project ${this.project} (there are: ${present})`);
    }
    return id;
  }

  state(container: string): ContainerState {
    const format =
      '{{.State.Status}}|{{if .State.Health}}{{.State.Health.Status}}{{end}}|{{.RestartCount}}|{{.State.ExitCode}}';
    const [status, health, restarts, exitCode] = this.runner
      .run('docker', ['inspect', '--format', format, container])
      .stdout.trim()
      .split('|');
    return { status, health, restarts: Number(restarts), exitCode: Number(exitCode) };
  }

  /** Runs a shell script inside a running container and returns its stdout. */
  exec(container: string, script: string): string {
    return this.runner.run('docker', ['exec', container, 'sh', '-c', script]).stdout;
  }

  /** The last lines a container logged. */
  logTail(container: string, lines: number): string {
    return this.runner.run('docker', ['logs', '--tail', String(lines), container], { allowFail: true })
      .output;
  }

  /** `docker compose ps` and the last lines of every service's log, for a failed run. */
  diagnostics(): string {
    const ps = this.compose(['ps'], { allowFail: true }).output.trim();
    const logs = this.compose(['logs', '--no-color', '--tail=40'], { allowFail: true }).output.trim();
    return `== docker compose ps\n${ps}\n\n== docker compose logs --tail=40\n${logs}`;
  }

  /** What takes the stack down by hand (printed when it is kept). */
  get removeCommand(): string {
    const ports = Object.entries(this.variables).map(([name, value]) => `${name}=${value}`);
    return `COMPOSE_PROJECT_NAME=${this.project} ${ports.join(' ')} docker compose down -v`;
  }

  private keepsRunning(): boolean {
    if (this.keep) {
      this.runner.report(
        `COMPOSE_TEST_KEEP=1: the stack is left running; remove it with: ${this.removeCommand}`,
      );
    }
    return this.keep;
  }

  private removeNow(): void {
    if (this.keepsRunning()) return;
    this.runner.report(`taking down compose project ${this.project} (docker compose down -v)`);
    this.compose(['down', '-v', '--remove-orphans'], { allowFail: true, timeoutMs: 5 * MINUTE });
  }

  private get environment(): Record<string, string> {
    return { ...this.variables, COMPOSE_PROJECT_NAME: this.project };
  }

  private compose(args: string[], options: { allowFail?: boolean; timeoutMs?: number } = {}) {
    return this.runner.run('docker', ['compose', ...args], { ...options, env: this.environment });
  }

  private composeAsync(args: string[], options: { timeoutMs: number; allowFail?: boolean }) {
    return this.runner.start('docker', ['compose', ...args], { ...options, env: this.environment });
  }
}
