import { appendFileSync } from 'node:fs';
import { ServiceProcess, spawnService } from './service-process';
import { sleep, waitFor, within } from './wait-for';

/**
 * Why a supervised process ended: the suite stopped it, the suite killed it, it killed itself at a crash
 * point the suite enabled (TEST_CRASH_POINT), or nobody asked it to: the case a fault test counts as a defect.
 */
export type ExitCause = 'stopped' | 'killed' | 'crash-point' | 'unexpected';

/** One exit of a supervised process, with the end of its log. */
export interface ServiceExit {
  instance: string;
  at: Date;
  status: number | string;
  cause: ExitCause;
  logTail: string[];
}

/** Variables that arm a crash point; a restart after the crash leaves them out, so each armed start crashes once. */
const CRASH_VARIABLES = ['TEST_CRASH_POINT', 'TEST_CRASH_AFTER'];
const QUICK_EXIT_MS = 5_000;
const MAX_RESTART_DELAY_MS = 10_000;

/**
 * A built service run as a process under a restart policy, like a container with `restart: always`: whatever
 * ends it other than `stop()` starts it again after a short delay, on the same port and database. Every exit is
 * recorded with its cause. Logs go to memory and, when given, to a file.
 */
export class SupervisedService {
  readonly exits: ServiceExit[] = [];
  private current?: ServiceProcess;
  private startedAt = 0;
  private quickExits = 0;
  private killRequested = false;
  private stopping = true;
  private paused = false;
  private restartTimer?: NodeJS.Timeout;

  constructor(
    /** The folder under apps/, e.g. `order-service`. */
    readonly service: string,
    /** This process among the replicas, e.g. `order-1`. */
    readonly instance: string,
    private readonly environment: Record<string, string>,
    private readonly logFile?: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.environment.PORT}`;
  }

  get pid(): number | undefined {
    return this.isRunning ? this.current?.process.pid : undefined;
  }

  get isRunning(): boolean {
    return (
      this.current !== undefined && this.current.process.exitCode === null && !this.current.process.signalCode
    );
  }

  /** The last lines the current (or last) process wrote. */
  logTail(lines = 20): string[] {
    return this.current?.logs.slice(-lines) ?? [];
  }

  /** Starts the process and waits until `/health/ready` answers 200. */
  async start(timeoutMs = 60_000): Promise<void> {
    this.stopping = false;
    this.launch(this.environment);
    try {
      await waitFor(`${this.instance} to be ready`, () => this.isReady(), timeoutMs, 200);
    } catch (error) {
      throw new Error(
        `${(error as Error).message}\n--- ${this.instance} log ---\n${this.logTail(40).join('\n')}`,
        {
          cause: error,
        },
      );
    }
  }

  async isReady(): Promise<boolean> {
    if (!this.isRunning || this.paused) return false;
    const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).catch(
      () => undefined,
    );
    return response?.status === 200;
  }

  /** SIGKILL, as a crash the suite causes; the restart policy brings the service back. */
  async kill(): Promise<void> {
    const current = this.current;
    if (!current || !this.isRunning) return;
    this.killRequested = true;
    current.process.kill('SIGKILL');
    await current.exited;
  }

  /** SIGSTOP: the process keeps its connections but does nothing, like a stalled or very slow consumer. */
  pause(): void {
    if (this.isRunning && !this.paused) {
      this.paused = true;
      this.current?.process.kill('SIGSTOP');
    }
  }

  resume(): void {
    if (this.paused) {
      this.paused = false;
      if (this.isRunning) this.current?.process.kill('SIGCONT');
    }
  }

  /** SIGTERM without restart; SIGKILL if it has not exited within `timeoutMs`. Resolves to how it ended. */
  async stop(timeoutMs = 20_000): Promise<number | string | undefined> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const current = this.current;
    if (!current || !this.isRunning) return undefined;
    this.resume();
    current.process.kill('SIGTERM');
    if ((await within(current.exited, timeoutMs)) === 'timeout') current.process.kill('SIGKILL');
    return current.exited;
  }

  /** The synchronous path for exit handlers: SIGKILL, no restart. */
  killNow(): void {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    if (this.isRunning) this.current?.process.kill('SIGKILL');
  }

  private launch(environment: Record<string, string>): void {
    const child = spawnService(this.service, environment);
    this.current = child;
    this.startedAt = Date.now();
    this.paused = false;
    if (this.logFile) {
      const file = this.logFile;
      appendFileSync(
        file,
        `=== ${new Date().toISOString()} ${this.instance} started (pid ${child.process.pid})\n`,
      );
      const append = (chunk: Buffer) => appendFileSync(file, chunk);
      child.process.stdout?.on('data', append);
      child.process.stderr?.on('data', append);
    }
    const armed = CRASH_VARIABLES.some((name) => environment[name] !== undefined);
    void child.exited.then((status) => this.exited(child, status, armed));
  }

  private exited(child: ServiceProcess, status: number | string, armed: boolean): void {
    if (child !== this.current) return;
    const cause: ExitCause = this.stopping
      ? 'stopped'
      : this.killRequested
        ? 'killed'
        : armed && status === 'SIGKILL'
          ? 'crash-point'
          : 'unexpected';
    this.killRequested = false;
    this.exits.push({
      instance: this.instance,
      at: new Date(),
      status,
      cause,
      logTail: child.logs.slice(-20),
    });
    if (this.logFile)
      appendFileSync(this.logFile, `=== ${new Date().toISOString()} exited: ${status} (${cause})\n`);
    if (this.stopping) return;
    this.quickExits = Date.now() - this.startedAt < QUICK_EXIT_MS ? this.quickExits + 1 : 0;
    const delay = Math.min(MAX_RESTART_DELAY_MS, 500 * 2 ** this.quickExits);
    this.restartTimer = setTimeout(() => {
      if (!this.stopping) this.launch(withoutCrashPoint(this.environment));
    }, delay);
  }
}

function withoutCrashPoint(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).filter(([name]) => !CRASH_VARIABLES.includes(name)));
}

/** Waits until every given service answers ready, or `timeoutMs` passes; resolves to the ones that are not. */
export async function notReady(
  services: SupervisedService[],
  timeoutMs: number,
): Promise<SupervisedService[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answers = await Promise.all(services.map((service) => service.isReady()));
    const missing = services.filter((_, index) => !answers[index]);
    if (missing.length === 0 || Date.now() > deadline) return missing;
    await sleep(250);
  }
}
