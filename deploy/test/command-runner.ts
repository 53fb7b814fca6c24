/**
 * Runs the compose test's commands (docker, ss) and writes each one with its full output (build logs
 * included) to one log file. Long commands run asynchronously in a process group of their own: a Ctrl-C
 * in the terminal does not reach them half-way, and the test's exit cleanup stops them before it takes the
 * stack down.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** What a command printed, and how it ended. */
export interface CommandResult {
  status: number | null;
  stdout: string;
  /** stdout and stderr together, as the log file has them. */
  output: string;
}

export interface CommandOptions {
  /** Variables added to this process's environment. */
  env?: Record<string, string>;
  /** A failed command resolves instead of throwing. */
  allowFail?: boolean;
  timeoutMs?: number;
}

export class CommandRunner {
  private readonly running = new Set<ChildProcess>();
  private readonly started = Date.now();

  constructor(
    private readonly cwd: string,
    readonly logFile: string,
  ) {
    mkdirSync(dirname(logFile), { recursive: true });
    writeFileSync(logFile, `compose test ${new Date().toISOString()}\n`);
  }

  /** Runs a short command, blocking: for queries, and for the exit cleanup, which cannot await. */
  run(command: string, args: string[], options: CommandOptions = {}): CommandResult {
    const result = spawnSync(command, args, {
      cwd: this.cwd,
      env: { ...process.env, ...options.env },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs,
      maxBuffer: 64 * 1024 * 1024,
    });
    const outcome = result.error
      ? result.error.message
      : result.status === null
        ? `killed by ${result.signal}`
        : `exit ${result.status}`;
    return this.finish(command, args, options, outcome, {
      status: result.error ? null : result.status,
      stdout: result.stdout ?? '',
      output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
    });
  }

  /** Runs a long command (build, up, stop, down) without blocking, in its own process group. */
  start(command: string, args: string[], options: CommandOptions = {}): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        cwd: this.cwd,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      this.running.add(child);
      let stdout = '';
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk;
        output += chunk;
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk));
      const timer =
        options.timeoutMs === undefined ? undefined : setTimeout(() => this.signal(child), options.timeoutMs);
      const settle = (status: number | null, outcome: string) => {
        clearTimeout(timer);
        this.running.delete(child);
        try {
          resolve(this.finish(command, args, options, outcome, { status, stdout, output }));
        } catch (error) {
          reject(error);
        }
      };
      child.on('error', (error) => settle(null, error.message));
      child.on('close', (code, signal) => {
        const timedOut = options.timeoutMs === undefined ? '' : ` (timeout ${options.timeoutMs / 1000}s?)`;
        settle(code, code === null ? `killed by ${signal}${timedOut}` : `exit ${code}`);
      });
    });
  }

  /** Stops every long command still running (their whole process groups); returns how many there were. */
  stopAll(): number {
    for (const child of this.running) this.signal(child);
    return this.running.size;
  }

  /**
   * Says what the test is doing, on stderr as it happens (to the file descriptor itself, past Jest's
   * console, which would wrap each line in a stack trace) and in the log file.
   */
  report(line: string): void {
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(1);
    writeSync(2, `[compose ${elapsed}s] ${line}\n`);
    appendFileSync(this.logFile, `\n# ${line}\n`);
  }

  private signal(child: ChildProcess): void {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }

  private finish(
    command: string,
    args: string[],
    options: CommandOptions,
    outcome: string,
    result: CommandResult,
  ): CommandResult {
    const line = `${command} ${args.join(' ')}`;
    appendFileSync(this.logFile, `\n$ ${line}  (${outcome})\n${result.output}`);
    if (!options.allowFail && result.status !== 0) {
      const tail = result.output.trim().split('\n').slice(-40).join('\n');
      throw new Error(`${line}: ${outcome}${tail ? `\n${tail}` : ''}`);
    }
    return result;
  }
}
